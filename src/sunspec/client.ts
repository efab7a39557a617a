/**
 * A SunSpec driver over Modbus TCP (modbus-serial's client): finds the SunSpec base, walks the model chain,
 * reads models into scaled values with units and writes RW points with range checks and read-back.
 */
import modbusSerial from 'modbus-serial';
import type { ModbusRTU } from 'modbus-serial/ModbusRTU.js';
import { TeError } from '../core/errors.js';
import { decodePoint, encodePoint, scaleFactorOf, type PointValue } from './codec.js';
import { countPointNames, layoutModel, loadModelDefs, type ModelDef, type ModelLayout } from './models.js';
import { mapError, readRange, type RegisterIo } from './transport.js';

/** The three base addresses the SunSpec specification allows, in the order it says to try them. */
export const SUNSPEC_BASES = [40000, 0, 50000] as const;
/** 'Su' 'nS' as two big-endian registers. */
export const SUNS_MARKER = [0x5375, 0x6e53] as const;
export const END_MODEL_ID = 0xffff;
/** No real device has this many models; a longer chain is a loop or garbage. */
const MAX_MODELS = 256;

export interface SunSpecClientOptions {
  readonly host: string;
  readonly port: number;
  readonly unitId?: number;
  /** Per-request timeout. */
  readonly timeoutMs?: number;
  readonly bases?: readonly number[];
  /** Model definitions; by default the copies in specs/sunspec/. */
  readonly models?: ReadonlyMap<number, ModelDef>;
}

export interface DiscoveredModel {
  readonly id: number;
  /** The model's name when tenet has its definition (e.g. DERMeasureAC), otherwise undefined. */
  readonly name: string | undefined;
  /** Address of the model's ID register. */
  readonly address: number;
  /** The L register: registers after ID and L. */
  readonly length: number;
}

export interface ModelReading {
  readonly id: number;
  readonly name: string;
  /** Scaled values by point path (`W`, `PFWInj.PF`, `Crv[0].Pt[1].V`); undefined means not implemented. */
  readonly values: Readonly<Record<string, PointValue>>;
  /** Units by point path, for points whose definition gives units. */
  readonly units: Readonly<Record<string, string>>;
}

export class SunSpecClient {
  private readonly models: ReadonlyMap<number, ModelDef>;
  private readonly io: RegisterIo;
  private base: number | undefined;
  private chain: DiscoveredModel[] | undefined;

  constructor(private readonly options: SunSpecClientOptions) {
    this.models = options.models ?? loadModelDefs();
    this.io = new ModbusIo(options);
  }

  /** Finds the SunSpec base address and the model chain; later calls reuse what it found. */
  async discover(): Promise<readonly DiscoveredModel[]> {
    const base = await this.findBase();
    const chain: DiscoveredModel[] = [];
    let address = base + 2;
    for (;;) {
      if (chain.length > MAX_MODELS || address + 2 > 0x10000) {
        throw new TeError('TE_ERR_SUNSPEC_MAP', 'the SunSpec model chain has no end marker', {
          path: `register ${address}`,
          hint: 'the device map must end with model ID 0xFFFF',
        });
      }
      const [id, length] = await readRange(this.io, address, 2, 'model header');
      if (id === END_MODEL_ID) break;
      chain.push({ id: id ?? 0, name: this.models.get(id ?? 0)?.name, address, length: length ?? 0 });
      address += 2 + (length ?? 0);
    }
    this.base = base;
    this.chain = chain;
    return chain;
  }

  /** Reads one model and returns its points scaled, with units. */
  async readModel(id: number): Promise<ModelReading> {
    const { layout, regs } = await this.fetchModel(id);
    return toReading(layout, regs);
  }

  /**
   * Writes RW points of one model (values in the point's units, scale factors applied), then reads the
   * model back and checks every written register holds what was sent. All values are checked before any
   * register is written, so a refused batch changes nothing on the device.
   */
  async writePoints(id: number, values: Readonly<Record<string, number | string>>): Promise<ModelReading> {
    const { layout, regs, address } = await this.fetchModel(id);
    const writes: { address: number; regs: number[]; path: string }[] = [];
    for (const [path, value] of Object.entries(values)) {
      const point = layout.byPath.get(path);
      if (point === undefined) {
        throw new TeError('TE_ERR_SUNSPEC_MODEL', `model ${id} has no point ${path}`, {
          path: `${id}.${path}`,
          hint: `known points: ${layout.points.map((p) => p.path).join(', ')}`.slice(0, 300),
        });
      }
      if (point.def.access !== 'RW' || curveIsReadOnly(layout, regs, path)) {
        throw new TeError('TE_ERR_SUNSPEC_READ_ONLY', `point ${path} of model ${id} is read-only`, {
          path: `${id}.${path}`,
          hint: 'only points the model marks RW, in curves the device marks RW, can be written',
        });
      }
      const encoded = encodePoint(point, value, scaleFactorOf(layout, point, regs));
      writes.push({ address: address + point.offset, regs: encoded, path });
    }
    for (const w of writes) await this.io.write(w.address, w.regs);
    const after = await this.fetchModel(id);
    for (const w of writes) {
      const offset = w.address - address;
      const back = after.regs.slice(offset, offset + w.regs.length);
      if (back.some((r, i) => r !== w.regs[i])) {
        throw new TeError('TE_ERR_SUNSPEC_VERIFY', `point ${w.path} of model ${id} did not read back`, {
          path: `${id}.${w.path}`,
          hint: `wrote [${w.regs.join(', ')}], read [${back.join(', ')}]; the device may clamp or refuse it`,
        });
      }
    }
    return toReading(after.layout, after.regs);
  }

  async close(): Promise<void> {
    await this.io.close();
  }

  private async findBase(): Promise<number> {
    if (this.base !== undefined) return this.base;
    for (const base of this.options.bases ?? SUNSPEC_BASES) {
      try {
        const marker = await this.io.read(base, 2);
        if (marker[0] === SUNS_MARKER[0] && marker[1] === SUNS_MARKER[1]) return base;
      } catch (error) {
        // A Modbus exception (no such register) only means "not here"; anything else is the link.
        if (!(error instanceof TeError && error.code === 'TE_ERR_SUNSPEC_MAP')) throw error;
      }
    }
    throw new TeError('TE_ERR_SUNSPEC_NOT_FOUND', "the device has no 'SunS' marker at any SunSpec base", {
      path: `${this.options.host}:${this.options.port}`,
      hint: `tried registers ${(this.options.bases ?? SUNSPEC_BASES).join(', ')}; is this a SunSpec device?`,
    });
  }

  private async fetchModel(id: number): Promise<{ layout: ModelLayout; regs: number[]; address: number }> {
    const chain = this.chain ?? (await this.discover());
    const found = chain.find((m) => m.id === id);
    const def = this.models.get(id);
    if (found === undefined || def === undefined) {
      throw new TeError(
        'TE_ERR_SUNSPEC_MODEL',
        `model ${id} is ${found ? 'not supported' : 'not on the device'}`,
        {
          path: `model ${id}`,
          hint: `device models: ${chain.map((m) => m.id).join(', ')}; supported: ${[...this.models.keys()].join(', ')}`,
        },
      );
    }
    const regs = await readRange(this.io, found.address, found.length + 2, `model ${id}`);
    const top = layoutModel(def);
    const counts: Record<string, number> = {};
    for (const name of countPointNames(def)) {
      const point = top.byPath.get(name);
      const value = point ? decodePoint(point.def, regs.slice(point.offset, point.offset + 1), 0) : undefined;
      counts[name] = typeof value === 'number' ? value : 0;
    }
    const layout = layoutModel(def, counts, regs.length);
    if (layout.length > regs.length) {
      throw new TeError('TE_ERR_SUNSPEC_MAP', `model ${id} is shorter than its definition`, {
        path: `register ${found.address}`,
        hint: `L is ${found.length} but the definition needs ${layout.length - 2} registers`,
      });
    }
    return { layout, regs, address: found.address };
  }
}

function toReading(layout: ModelLayout, regs: readonly number[]): ModelReading {
  const values: Record<string, PointValue> = {};
  const units: Record<string, string> = {};
  for (const point of layout.points) {
    if (point.def.type === 'pad') continue;
    const slice = regs.slice(point.offset, point.offset + point.def.size);
    values[point.path] = decodePoint(point.def, slice, scaleFactorOf(layout, point, regs));
    if (point.def.units !== undefined) units[point.path] = point.def.units;
  }
  return { id: layout.model.id, name: layout.model.name, values, units };
}

/** 705 marks each curve RW or R (the device's fixed default curve); writes to an R curve are refused. */
function curveIsReadOnly(layout: ModelLayout, regs: readonly number[], path: string): boolean {
  const curve = /^(Crv\[\d+\])\./.exec(path);
  if (curve === null) return false;
  const flag = layout.byPath.get(`${curve[1]}.ReadOnly`);
  return flag !== undefined && regs[flag.offset] === 1;
}

// modbus-serial is CommonJS whose typings declare an ES default export: under NodeNext TypeScript sees the
// default import as the module object, while Node hands over module.exports, which is the client class.
const ModbusClient = modbusSerial as unknown as new () => ModbusRTU;

/** The Modbus link: connects lazily, reconnects once after a dropped link, maps failures to codes. */
class ModbusIo implements RegisterIo {
  private client: ModbusRTU | undefined;
  /** One connection attempt at a time: concurrent calls share it rather than each opening a socket. */
  private opening: Promise<ModbusRTU> | undefined;

  constructor(private readonly options: SunSpecClientOptions) {}

  read(address: number, count: number): Promise<number[]> {
    return this.call(address, async (c) => (await c.readHoldingRegisters(address, count)).data);
  }

  async write(address: number, regs: readonly number[]): Promise<void> {
    await this.call(address, (c) => c.writeRegisters(address, [...regs]));
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client?.isOpen) await new Promise<void>((resolve) => client.close(() => resolve()));
  }

  private async call<T>(address: number, op: (c: ModbusRTU) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await op(await this.open());
      } catch (error) {
        const mapped = mapError(error, address, this.options);
        // Only a link failure is worth a fresh connection; a Modbus exception would repeat.
        if (mapped.code !== 'TE_ERR_SUNSPEC_DEVICE' || attempt > 0) throw mapped;
        await this.close();
      }
    }
  }

  private open(): Promise<ModbusRTU> {
    if (this.client?.isOpen) return Promise.resolve(this.client);
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  private async connect(): Promise<ModbusRTU> {
    const client = new ModbusClient();
    client.setTimeout(this.options.timeoutMs ?? 1000);
    // modbus-serial emits 'error' on socket failures; without a listener Node would crash the process.
    client.on('error', () => undefined);
    await client.connectTCP(this.options.host, { port: this.options.port });
    client.setID(this.options.unitId ?? 1);
    this.client = client;
    return client;
  }
}
