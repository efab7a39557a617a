/** Register access shared by the SunSpec client: chunked reads and Modbus failures mapped to codes. */
import { TeError } from '../core/errors.js';

export interface RegisterIo {
  read(address: number, count: number): Promise<number[]>;
  write(address: number, regs: readonly number[]): Promise<void>;
  close(): Promise<void>;
}

/** Modbus allows at most 125 registers in one read (function 3). */
export const MAX_READ = 125;

/** Reads `count` registers from `address` in Modbus-sized chunks; `what` names it in errors. */
export async function readRange(
  io: RegisterIo,
  address: number,
  count: number,
  what: string,
): Promise<number[]> {
  if (address + count > 0x10000) {
    throw new TeError('TE_ERR_SUNSPEC_MAP', `${what} runs past the last Modbus register`, {
      path: `register ${address}`,
      hint: `${count} registers from ${address} exceed 65535`,
    });
  }
  const out: number[] = [];
  for (let at = address; at < address + count; at += MAX_READ) {
    const n = Math.min(MAX_READ, address + count - at);
    try {
      const chunk = await io.read(at, n);
      if (chunk.length !== n) {
        throw new TeError('TE_ERR_SUNSPEC_MAP', `${what}: asked ${n} registers, got ${chunk.length}`, {
          path: `register ${at}`,
        });
      }
      out.push(...chunk);
    } catch (error) {
      if (error instanceof TeError && error.code === 'TE_ERR_SUNSPEC_MAP') {
        throw new TeError('TE_ERR_SUNSPEC_MAP', `${what} runs past the device's register map`, {
          path: `register ${at}`,
          hint: 'a model length (L) points beyond the registers the device serves',
          cause: error,
        });
      }
      throw error;
    }
  }
  return out;
}

interface Endpoint {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs?: number;
}

/**
 * A Modbus exception response (the device answered "illegal address" or similar) is a map problem; every
 * other failure — refused, reset, timed out, port closed — means the device could not be talked to.
 */
export function mapError(error: unknown, address: number, endpoint: Endpoint): TeError {
  if (error instanceof TeError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as Record<string, unknown>;
  const where = `${endpoint.host}:${endpoint.port} register ${address}`;
  if (typeof e['modbusCode'] === 'number') {
    return new TeError(
      'TE_ERR_SUNSPEC_MAP',
      `the device refused register ${address} (Modbus exception ${e['modbusCode']})`,
      {
        path: where,
        hint: 'the register is outside the device map or not readable',
        cause: error,
      },
    );
  }
  const message = typeof e['message'] === 'string' ? e['message'] : String(error);
  return new TeError('TE_ERR_SUNSPEC_DEVICE', `the device did not answer: ${message}`, {
    path: where,
    hint: `check the device is up and reachable; requests time out after ${endpoint.timeoutMs ?? 1000} ms`,
    cause: error,
  });
}
