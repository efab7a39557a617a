/**
 * Seeded randomised assignment of homes to a control group (evaluation.controlShare), stratified by
 * device ownership: homes are grouped by which of PV, a battery and an EV they own (8 strata), and each
 * stratum sends the same share of its homes to control, so the groups are balanced on the devices that
 * move bills and peaks most. The control group has exactly round(share × homes) homes; the strata's
 * rounding remainders go to the strata with the largest fractional quotas (ties in a seeded order).
 *
 * The assignment draws from its own stream of the scenario's seed: it does not shift any other draw
 * (devices, placement on the feeder), and changing the share does not change the homes' devices.
 */
import { SeededRandom } from '../../core/random.js';
import { placeDevices } from '../population.js';
import type { Scenario } from '../scenario/parse-scenario.js';

/** The label of the assignment's stream of the seed (SeededRandom.fork). */
const CONTROL_GROUP_STREAM = 0xc0417;

/** Ownership bits of a home's stratum. */
const STRATUM_PV = 1;
const STRATUM_BATTERY = 2;
const STRATUM_EV = 4;

/** The stratum of every home from the population's device placement: PV, battery and EV ownership bits. */
export function ownershipStrata(scenario: Scenario): Int32Array {
  const placement = placeDevices(scenario, new SeededRandom(scenario.seed));
  const homes = scenario.population.homes;
  const strata = new Int32Array(homes);
  for (let h = 0; h < homes; h++) {
    strata[h] =
      (placement.pv.has[h] === 1 ? STRATUM_PV : 0) |
      (placement.battery.has[h] === 1 ? STRATUM_BATTERY : 0) |
      (placement.ev.has[h] === 1 ? STRATUM_EV : 0);
  }
  return strata;
}

/**
 * 1 for each home assigned to control: within each stratum a random round-off of `share` of its homes,
 * exactly round(share × homes) in all.
 */
export function stratifiedAssignment(strata: Int32Array, share: number, rng: SeededRandom): Uint8Array {
  const homes = strata.length;
  const members = new Map<number, number[]>();
  for (let h = 0; h < homes; h++) {
    const key = strata[h] as number;
    const list = members.get(key);
    if (list === undefined) members.set(key, [h]);
    else list.push(h);
  }
  const keys = rng.shuffle([...members.keys()].sort((a, b) => a - b));
  const quota = new Map(keys.map((key) => [key, share * (members.get(key)?.length ?? 0)]));
  const count = new Map(keys.map((key) => [key, Math.floor(quota.get(key) ?? 0)]));
  let assigned = 0;
  for (const value of count.values()) assigned += value;
  // Largest remainders first; the shuffle above breaks ties without favouring any stratum.
  const byRemainder = [...keys].sort(
    (a, b) => (quota.get(b) ?? 0) - (count.get(b) ?? 0) - ((quota.get(a) ?? 0) - (count.get(a) ?? 0)),
  );
  const total = Math.round(share * homes);
  for (let i = 0; assigned < total && i < byRemainder.length; i++) {
    const key = byRemainder[i] as number;
    count.set(key, (count.get(key) ?? 0) + 1);
    assigned++;
  }
  const control = new Uint8Array(homes);
  for (const key of [...members.keys()].sort((a, b) => a - b)) {
    const chosen = rng.shuffle([...(members.get(key) ?? [])]).slice(0, count.get(key) ?? 0);
    for (const h of chosen) control[h] = 1;
  }
  return control;
}

/** The scenario's control group, or null without one (controlShare 0). */
export function assignControlGroup(scenario: Scenario): Uint8Array | null {
  const share = scenario.evaluation.controlShare;
  if (!(share > 0)) return null;
  const rng = new SeededRandom(scenario.seed).fork(CONTROL_GROUP_STREAM);
  return stratifiedAssignment(ownershipStrata(scenario), share, rng);
}
