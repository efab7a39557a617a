import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { buildPopulation, countDevices } from './population.js';
import { defaultScenario } from './test-scenario.fixture.js';

describe('buildPopulation', () => {
  const scenario = defaultScenario();

  it('places devices by exact shares, one base load per home', () => {
    const premises = buildPopulation(scenario, new SeededRandom(1), 'te');
    expect(premises).toHaveLength(300);
    expect(countDevices(premises)).toEqual({
      'base-load': 300,
      hvac: 300,
      'water-heater': 120,
      pv: 75,
      battery: 30,
      ev: 30,
    });
    const transactiveHvac = premises.filter((p) => p.classes.includes('hvac-transactive')).length;
    expect(transactiveHvac).toBe(150);
  });

  it('builds identical homes for the TE and baseline runs; only the control mode differs', () => {
    const te = buildPopulation(scenario, new SeededRandom(9), 'te');
    const baseline = buildPopulation(scenario, new SeededRandom(9), 'baseline');
    const describe = (premises: typeof te) =>
      premises.map((p) => ({
        id: p.id,
        classes: p.classes,
        devices: p.devices.map((d) => [d.id, JSON.stringify((d as unknown as { params?: unknown }).params)]),
      }));
    expect(describe(te)).toEqual(describe(baseline));
    expect(baseline.every((p) => p.devices.every((d) => d.mode === 'baseline'))).toBe(true);
    const modes = te.flatMap((p) => p.devices.filter((d) => d.kind === 'hvac').map((d) => d.mode));
    expect(modes.filter((m) => m === 'transactive')).toHaveLength(150);
  });

  it('respects zero and full shares', () => {
    const none = {
      ...scenario.population,
      pv: { share: 0, transactiveShare: 1 },
      ev: { share: 1, transactiveShare: 0 },
    };
    const premises = buildPopulation({ ...scenario, population: none }, new SeededRandom(3), 'te');
    const counts = countDevices(premises);
    expect(counts.pv).toBeUndefined();
    expect(counts.ev).toBe(300);
    expect(
      premises.flatMap((p) => p.devices).filter((d) => d.kind === 'ev' && d.mode === 'transactive'),
    ).toHaveLength(0);
  });
});
