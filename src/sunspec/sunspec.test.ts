/** The SunSpec client against the simulated inverter, over real Modbus TCP sockets on loopback. */
import { createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { SunSpecClient, type SunSpecClientOptions } from './client.js';
import { SunSpecDeviceSimulator } from './simulator.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function setup(options: Partial<SunSpecClientOptions> = {}) {
  const sim = await SunSpecDeviceSimulator.start();
  cleanups.push(() => sim.close());
  const client = new SunSpecClient({ host: '127.0.0.1', port: sim.port, timeoutMs: 500, ...options });
  cleanups.push(() => client.close());
  return { sim, client };
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TeError) return error.code;
    throw error;
  }
  return 'no error';
}

describe('SunSpec over Modbus TCP', () => {
  it('finds the base at 40000 and walks the model chain to the end marker', async () => {
    const { client, sim } = await setup();
    const chain = await client.discover();
    expect(chain.map((m) => [m.id, m.name, m.length])).toEqual([
      [1, 'common', 66],
      [701, 'DERMeasureAC', 153],
      [702, 'DERCapacity', 50],
      [703, 'DEREnterService', 17],
      [704, 'DERCtlAC', 65],
      [705, 'DERVoltVar', 13 + 2 * (10 + 4 * 2)],
      [706, 'DERVoltWatt', 13 + 1 * (5 + 2 * 2)],
    ]);
    expect(chain[0]?.address).toBe(40002);
    expect(chain[1]?.address).toBe(sim.modelAddress(701));
  });

  it('finds a base at 50000 when 40000 and 0 hold nothing', async () => {
    const sim = await SunSpecDeviceSimulator.start({ base: 50000 });
    cleanups.push(() => sim.close());
    const client = new SunSpecClient({ host: '127.0.0.1', port: sim.port, timeoutMs: 500 });
    cleanups.push(() => client.close());
    expect((await client.discover())[0]?.address).toBe(50002);
  });

  it('reads the common model and measurements with scale factors and units', async () => {
    const { client } = await setup();
    const common = await client.readModel(1);
    expect(common.values).toMatchObject({ Mn: 'tenet', SN: 'SIM-0001', Opt: undefined });
    const m = await client.readModel(701);
    expect(m.values).toMatchObject({
      W: 6000,
      VA: 6000,
      Var: 0,
      PF: 1,
      LNV: 240,
      Hz: 60,
      A: 25,
      TotWhInj: 123456,
    });
    expect(m.values['PF']).toBe(1);
    expect(m.units).toMatchObject({ W: 'W', LNV: 'V', Hz: 'Hz' });
    // Points the simulator does not implement hold the sentinel and read as undefined.
    expect(m.values['WL1']).toBeUndefined();
    expect(m.values['TmpAmb']).toBeUndefined();
    const cap = await client.readModel(702);
    expect(cap.values).toMatchObject({ WMaxRtg: 10000, VNomRtg: 240, WMax: 10000 });
  });

  it('serves concurrent reads over one connection', async () => {
    const { client, sim } = await setup();
    const readings = await Promise.all([701, 702, 704, 705, 701, 1].map((id) => client.readModel(id)));
    expect(readings.map((r) => r.id)).toEqual([701, 702, 704, 705, 701, 1]);
    expect(sim.connectionCount).toBe(1);
  });

  it('writes a power limit and the simulated export follows in the next measurement', async () => {
    const { client, sim } = await setup();
    const written = await client.writePoints(704, { WMaxLimPct: 42.5, WMaxLimPctEna: 1 });
    expect(written.values).toMatchObject({ WMaxLimPct: 42.5, WMaxLimPctEna: 1 });
    expect((await client.readModel(701)).values['W']).toBe(4250);
    expect(sim.exportW).toBe(4250);
    sim.setPvAvailable(3000);
    expect((await client.readModel(701)).values['W']).toBe(3000);
    await client.writePoints(704, { WMaxLimPctEna: 0 });
    sim.setPvAvailable(8000);
    expect((await client.readModel(701)).values['W']).toBe(8000);
  });

  it('writes a volt-var curve and reads it back', async () => {
    const { client } = await setup();
    const curve = {
      'Crv[0].Pt[0].V': 90.5,
      'Crv[0].Pt[1].V': 97,
      'Crv[0].Pt[2].V': 103,
      'Crv[0].Pt[3].V': 109.5,
      'Crv[0].Pt[0].Var': 44,
      'Crv[0].Pt[3].Var': -44,
      Ena: 1,
    };
    await client.writePoints(705, curve);
    const back = await client.readModel(705);
    expect(back.values).toMatchObject(curve);
    expect(back.values['Crv[1].Pt[0].V']).toBe(92);
    expect(back.units['Crv[0].Pt[0].V']).toBe('VNomPct');
  });

  it('reads enter-service settings and writes a volt-watt curve', async () => {
    const { client } = await setup();
    expect((await client.readModel(703)).values).toMatchObject({
      ES: 1,
      ESVHi: 105,
      ESVLo: 91.7,
      ESHzHi: 61.2,
      ESHzLo: 59.5,
      ESDlyTms: 300,
      ESDlyRemTms: undefined,
    });
    await client.writePoints(703, { ESVHi: 106.5, ESDlyTms: 60 });
    expect((await client.readModel(703)).values).toMatchObject({ ESVHi: 106.5, ESDlyTms: 60 });
    const curve = { 'Crv[0].Pt[0].V': 105, 'Crv[0].Pt[1].V': 109, 'Crv[0].Pt[1].W': 20.5, Ena: 1 };
    expect((await client.writePoints(706, curve)).values).toMatchObject(curve);
    expect(await codeOf(client.writePoints(706, { 'Crv[0].DeptRef': 3 }))).toBe('TE_ERR_SUNSPEC_RANGE');
  });

  it('refuses read-only points, unknown points and models, and out-of-range values before writing', async () => {
    const { client } = await setup();
    expect(await codeOf(client.writePoints(701, { W: 100 }))).toBe('TE_ERR_SUNSPEC_READ_ONLY');
    expect(await codeOf(client.writePoints(702, { WMaxRtg: 100 }))).toBe('TE_ERR_SUNSPEC_READ_ONLY');
    expect(await codeOf(client.writePoints(705, { 'Crv[1].Pt[0].V': 95 }))).toBe('TE_ERR_SUNSPEC_READ_ONLY');
    expect(await codeOf(client.writePoints(704, { WMaxLimPct: 120 }))).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(await codeOf(client.writePoints(704, { WMaxLimPct: Number.NaN }))).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(await codeOf(client.writePoints(704, { WMaxLimPctEna: 7 }))).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(await codeOf(client.writePoints(702, { WMax: 70000 }))).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(await codeOf(client.writePoints(702, { WMax: -1 }))).toBe('TE_ERR_SUNSPEC_RANGE');
    expect(await codeOf(client.writePoints(704, { Nope: 1 }))).toBe('TE_ERR_SUNSPEC_MODEL');
    expect(await codeOf(client.readModel(707))).toBe('TE_ERR_SUNSPEC_MODEL');
    // A refused batch wrote nothing: the valid value beside the bad one is not on the device.
    expect(await codeOf(client.writePoints(704, { WMaxLimPctEna: 1, WMaxLimPct: 500 }))).toBe(
      'TE_ERR_SUNSPEC_RANGE',
    );
    expect((await client.readModel(704)).values['WMaxLimPctEna']).toBe(0);
  });

  it('catches a write the device clamped by reading it back', async () => {
    const { client } = await setup();
    expect(await codeOf(client.writePoints(702, { WMax: 12000 }))).toBe('TE_ERR_SUNSPEC_VERIFY');
    expect((await client.readModel(702)).values['WMax']).toBe(10000);
    expect((await client.writePoints(702, { WMax: 8000 })).values['WMax']).toBe(8000);
  });

  it('lists a model it has no definition for but refuses to read it', async () => {
    const { client, sim } = await setup();
    sim.pokeRegisters(sim.modelAddress(702), [799]);
    const chain = await client.discover();
    expect(chain.map((m) => [m.id, m.name])).toContainEqual([799, undefined]);
    expect(chain.map((m) => m.id)).toContain(705);
    expect(await codeOf(client.readModel(799))).toBe('TE_ERR_SUNSPEC_MODEL');
  });

  it('says the device has no SunSpec map when no base holds the marker', async () => {
    const { client, sim } = await setup();
    sim.pokeRegisters(40000, [0, 0]);
    expect(await codeOf(client.discover())).toBe('TE_ERR_SUNSPEC_NOT_FOUND');
  });

  it('gives a coded error, not a crash, for a model length running past the map', async () => {
    const { client, sim } = await setup();
    sim.pokeRegisters(sim.modelAddress(705) + 1, [5000]);
    expect(await codeOf(client.discover())).toBe('TE_ERR_SUNSPEC_MAP');
  });

  it('gives a coded error for a model shorter than its definition', async () => {
    const { client, sim } = await setup();
    const at = sim.modelAddress(704);
    // 704 claims 10 registers; an end marker right after keeps the chain readable.
    sim.pokeRegisters(at + 1, [10]);
    sim.pokeRegisters(at + 12, [0xffff, 0]);
    expect((await client.discover()).map((m) => m.id)).toEqual([1, 701, 702, 703, 704]);
    expect(await codeOf(client.readModel(704))).toBe('TE_ERR_SUNSPEC_MAP');
  });

  it('reports a device that has gone, and reconnects when it is back on the same port', async () => {
    const { client, sim } = await setup();
    await client.writePoints(704, { WMaxLimPct: 50, WMaxLimPctEna: 1 });
    await sim.close();
    expect(await codeOf(client.readModel(701))).toBe('TE_ERR_SUNSPEC_DEVICE');
    const again = await SunSpecDeviceSimulator.start({ port: sim.port });
    cleanups.push(() => again.close());
    // A fresh device has no limit: the reading comes from the new connection, not a cache.
    expect((await client.readModel(701)).values['W']).toBe(6000);
  });

  it('times out on a device that accepts the connection but never answers', async () => {
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    const port = typeof address === 'object' && address !== null ? address.port : 0;
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          for (const socket of sockets) socket.destroy();
          silent.close(() => resolve());
        }),
    );
    const client = new SunSpecClient({ host: '127.0.0.1', port, timeoutMs: 200 });
    cleanups.push(() => client.close());
    const started = performance.now();
    expect(await codeOf(client.discover())).toBe('TE_ERR_SUNSPEC_DEVICE');
    // One timeout, one reconnect, one more timeout: well under a second.
    expect(performance.now() - started).toBeLessThan(2000);
  });
});
