/** Corrupted SunSpec register maps give coded errors or values, never a crash or a hang. */
import { afterEach, describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { SunSpecClient } from './client.js';
import { SunSpecDeviceSimulator } from './simulator.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup() {
  const sim = await SunSpecDeviceSimulator.start();
  cleanups.push(() => sim.close());
  const client = new SunSpecClient({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 });
  cleanups.push(() => client.close());
  return { sim, client };
}

/** Runs `op`; returns 'ok' or the TeError code, and fails the test on any other exception. */
async function outcome(op: () => Promise<unknown>): Promise<string> {
  try {
    await op();
    return 'ok';
  } catch (error) {
    if (error instanceof TeError) return error.code;
    throw error;
  }
}

describe('malformed SunSpec maps', () => {
  it('refuses volt-var counts far beyond the model length without laying them out', async () => {
    const { client, sim } = await setup();
    const at = sim.modelAddress(705);
    // (65535 is uint16's "not implemented" and reads as no curves.) NPt and NCrv are the 6th and 7th registers after the header (Ena, AdptCrvReq, AdptCrvRslt first).
    sim.pokeRegisters(at + 5, [60000, 60000]);
    const started = performance.now();
    expect(await outcome(() => client.readModel(705))).toBe('TE_ERR_SUNSPEC_MAP');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('survives random corruption of the map (seeded)', async () => {
    // A small LCG keeps the run reproducible without global state.
    let seed = 0x5eed;
    const next = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 0x80000000;
      // The high bits: an LCG's low bits cycle with a short period.
      return Math.floor((seed / 0x80000000) * n);
    };
    const special = [0, 0xffff, 0x8000, 0x7fff, 1, 2];
    const codes = new Map<string, number>();
    for (let round = 0; round < 40; round++) {
      const { client, sim } = await setup();
      const span = sim.registerCount;
      for (let k = 1 + next(4); k > 0; k--) {
        const value = next(2) === 0 ? (special[next(special.length)] ?? 0) : next(0x10000);
        // Half the hits land on a model header (ID or L), where corruption matters most.
        const header = sim.modelAddress([1, 701, 702, 703, 704, 705, 706][next(7)] ?? 1) + next(2);
        sim.pokeRegisters(next(2) === 0 ? header : sim.base + next(span), [value]);
      }
      for (const op of [
        () => client.discover(),
        ...[1, 701, 702, 703, 704, 705, 706].map((id) => () => client.readModel(id)),
        () => client.writePoints(704, { WMaxLimPct: 50 }),
      ]) {
        const code = await outcome(op);
        codes.set(code, (codes.get(code) ?? 0) + 1);
      }
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    }
    // Only coded outcomes, and the corruption did reach the error paths.
    expect([...codes.keys()].every((c) => c === 'ok' || c.startsWith('TE_ERR_SUNSPEC_'))).toBe(true);
    expect(codes.get('ok')).toBeGreaterThan(0);
    expect(codes.get('TE_ERR_SUNSPEC_MAP')).toBeGreaterThan(0);
    expect(codes.get('TE_ERR_SUNSPEC_MODEL')).toBeGreaterThan(0);
  });
});
