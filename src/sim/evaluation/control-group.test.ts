import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import { buildPopulation } from '../population.js';
import { defaultScenario } from '../test-scenario.fixture.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { assignControlGroup, ownershipStrata, stratifiedAssignment } from './control-group.js';

function withControl(share: number, seed: number, homes = 300): Scenario {
  const scenario = defaultScenario();
  return {
    ...scenario,
    seed,
    population: { ...scenario.population, homes },
    evaluation: { ...scenario.evaluation, controlShare: share },
  };
}

const count = (flags: Uint8Array) => flags.reduce((sum, flag) => sum + flag, 0);

describe('control group assignment', () => {
  it('is deterministic per seed, has the exact share, and changes with the seed', () => {
    const first = assignControlGroup(withControl(0.3, 7));
    expect(first).not.toBeNull();
    expect(assignControlGroup(withControl(0.3, 7))).toEqual(first);
    expect(count(first as Uint8Array)).toBe(90);
    const other = assignControlGroup(withControl(0.3, 8)) as Uint8Array;
    expect(count(other)).toBe(90);
    expect(other).not.toEqual(first);
    expect(count(assignControlGroup(withControl(0.5, 7, 40)) as Uint8Array)).toBe(20);
    // round(0.25 × 41) = 10.
    expect(count(assignControlGroup(withControl(0.25, 7, 41)) as Uint8Array)).toBe(10);
    expect(assignControlGroup(withControl(0, 7))).toBeNull();
  });

  it('balances PV, battery and EV ownership: each stratum sends its share, give or take one home', () => {
    const scenario = withControl(0.3, 11);
    const control = assignControlGroup(scenario) as Uint8Array;
    const strata = ownershipStrata(scenario);
    const sizes = new Map<number, { homes: number; control: number }>();
    strata.forEach((stratum, h) => {
      const entry = sizes.get(stratum) ?? { homes: 0, control: 0 };
      entry.homes++;
      entry.control += control[h] ?? 0;
      sizes.set(stratum, entry);
    });
    expect(sizes.size).toBeGreaterThan(3);
    for (const { homes, control: inControl } of sizes.values()) {
      expect(inControl).toBeGreaterThanOrEqual(Math.floor(0.3 * homes));
      expect(inControl).toBeLessThanOrEqual(Math.ceil(0.3 * homes));
    }
    // 75 PV homes in the default scenario: 22 or 23 of them in control (0.3 × 75 = 22.5).
    const pvControl = strata.reduce(
      (sum, stratum, h) => sum + ((stratum & 1) === 1 ? (control[h] ?? 0) : 0),
      0,
    );
    expect([22, 23]).toContain(pvControl);
  });

  it('reads the ownership the built population really has', () => {
    const scenario = withControl(0.3, 5, 60);
    const strata = ownershipStrata(scenario);
    const premises = buildPopulation(scenario, new SeededRandom(scenario.seed), 'te');
    premises.forEach((home, h) => {
      const kinds = new Set(home.devices.map((device) => device.kind));
      expect(((strata[h] ?? 0) & 1) === 1).toBe(kinds.has('pv'));
      expect(((strata[h] ?? 0) & 2) === 2).toBe(kinds.has('battery'));
      expect(((strata[h] ?? 0) & 4) === 4).toBe(kinds.has('ev'));
    });
  });

  it('hands the rounding remainders to the strata with the largest fractions', () => {
    // Strata of 3, 3 and 4 homes at share 0.5: quotas 1.5, 1.5, 2 → floors 1, 1, 2 and 1 home left for
    // one of the two 1.5 strata; 5 homes in all.
    const strata = Int32Array.from([0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
    const control = stratifiedAssignment(strata, 0.5, new SeededRandom(3));
    expect(count(control)).toBe(5);
    expect(count(control.subarray(6))).toBe(2);
    expect([count(control.subarray(0, 3)), count(control.subarray(3, 6))].sort()).toEqual([1, 2]);
  });
});

describe('population with a control group', () => {
  it('runs every device of a control home on plain control, in both runs, with the same devices', () => {
    const scenario = withControl(0.5, 9, 40);
    const control = assignControlGroup(scenario) as Uint8Array;
    const te = buildPopulation(scenario, new SeededRandom(scenario.seed), 'te', control);
    const plain = buildPopulation(scenario, new SeededRandom(scenario.seed), 'te');
    const baseline = buildPopulation(scenario, new SeededRandom(scenario.seed), 'baseline', control);
    te.forEach((home, h) => {
      const inControl = control[h] === 1;
      expect(home.classes.includes('control')).toBe(inControl);
      expect(baseline[h]?.classes).toEqual(home.classes);
      expect(home.devices.map((d) => d.id)).toEqual(plain[h]?.devices.map((d) => d.id));
      if (inControl) expect(home.devices.every((d) => d.mode === 'baseline')).toBe(true);
      else expect(home.devices.map((d) => d.mode)).toEqual(plain[h]?.devices.map((d) => d.mode));
    });
    const transactiveTreatment = te.filter((home) => home.devices.some((d) => d.mode === 'transactive'));
    expect(transactiveTreatment.length).toBeGreaterThan(0);
  });
});
