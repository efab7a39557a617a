import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import { parseKerstingCsv } from '../../grid/formats/kersting-csv.js';
import { prepareNetwork } from '../../grid/network-preparation.js';
import { FeederFlow, RANGE_A_MIN_PU } from './feeder-flow.js';
import { feederWithHomes } from './feeder-network.js';
import { loadWeights, placeHomes } from './home-placement.js';

const dir = fileURLToPath(new URL('../../../scenarios/feeders/ieee-13', import.meta.url));
const ieee13 = parseKerstingCsv(
  new Map(readdirSync(dir).map((file) => [file, readFileSync(`${dir}/${file}`, 'utf8')])),
  { name: 'ieee-13' },
);
const nominal = prepareNetwork(ieee13).nominalKvLL;
const kvOf = (bus: string) => nominal.get(bus) ?? 4.16;

describe('home placement', () => {
  it('places exactly the homes asked for, in proportion to the published loads, the same for a seed', () => {
    const connections = placeHomes(ieee13, 300, new SeededRandom(1));
    expect(connections).toHaveLength(300);
    const weights = loadWeights(ieee13);
    const total = [...weights.values()].reduce((a, b) => a + b, 0);
    const counts = new Map<string, number>();
    for (const c of connections)
      counts.set(`${c.bus}.${c.phase}`, (counts.get(`${c.bus}.${c.phase}`) ?? 0) + 1);
    for (const [key, kva] of weights)
      expect(Math.abs((counts.get(key) ?? 0) - (kva / total) * 300)).toBeLessThan(1);
    // 646 is a delta load on branch b–c: half its kVA on each phase
    expect(weights.get('646.b')).toBeCloseTo(weights.get('646.c') ?? 0, 9);
    expect(placeHomes(ieee13, 300, new SeededRandom(1))).toEqual(connections);
    expect(placeHomes(ieee13, 300, new SeededRandom(2))).not.toEqual(connections);
  });
});

describe('feeder in the loop', () => {
  const connections = placeHomes(ieee13, 300, new SeededRandom(3));
  const flowWith = (regulators: 'automatic' | 'as-given') =>
    new FeederFlow(
      feederWithHomes(ieee13, connections, { backgroundLoadFactor: 0, regulators }, kvOf),
      connections,
    );

  it('lowers voltages and raises losses as the homes draw more', () => {
    const flow = flowWith('as-given');
    const mean = (values: Float64Array) => values.reduce((a, b) => a + b, 0) / values.length;
    const light = flow.solve(new Float64Array(300).fill(1));
    const lightMean = mean(light.busMinVPu);
    const lightLosses = light.lossesKw;
    const heavy = flow.solve(new Float64Array(300).fill(12));
    expect(heavy.converged).toBe(true);
    expect(mean(heavy.busMinVPu)).toBeLessThan(lightMean - 0.02);
    expect(heavy.lossesKw).toBeGreaterThan(lightLosses * 10);
  });

  it('keeps band-controlled regulators in range where fixed taps overshoot at light load', () => {
    const asGiven = flowWith('as-given').solve(new Float64Array(300).fill(0.5));
    const automatic = flowWith('automatic').solve(new Float64Array(300).fill(0.5));
    expect(asGiven.maxVPu).toBeGreaterThan(1.05);
    expect(automatic.maxVPu).toBeLessThanOrEqual(1.05);
  });

  it('gives envelopes that shrink with load, and that a home taking its import envelope stays in range', () => {
    const flow = flowWith('as-given');
    const envelopesAt = (kw: number) => {
      const load = new Float64Array(300).fill(kw);
      flow.solve(load);
      const importKw = new Float64Array(300);
      const exportKw = new Float64Array(300);
      flow.envelopes(load, importKw, exportKw);
      return { importKw, exportKw };
    };
    const light = envelopesAt(2);
    const heavy = envelopesAt(10);
    const headroom = (e: Float64Array, kw: number) => Math.min(...e) - kw;
    expect(headroom(heavy.importKw, 10)).toBeLessThan(headroom(light.importKw, 2));
    // Every home at the bus with the least headroom takes its envelope: the voltage stays in Range A.
    const tightest = heavy.importKw.indexOf(Math.min(...heavy.importKw));
    const bus = connections[tightest];
    const load = new Float64Array(300).fill(10);
    connections.forEach((c, p) => {
      if (c.bus === bus?.bus && c.phase === bus.phase) load[p] = heavy.importKw[p] ?? 10;
    });
    const state = flow.solve(load);
    expect(state.minVPu).toBeGreaterThanOrEqual(RANGE_A_MIN_PU - 0.002); // linearisation error only
  });
});
