/**
 * The community: homes and the devices behind each meter, placed by the scenario's shares and drawn from
 * the seed. Shares are exact (with 300 homes and a PV share of 0.25, exactly 75 homes have PV); which homes
 * get what, and every device parameter, come from the seeded generator. The TE and baseline runs call this
 * with the same seed and get identical homes; only the control mode differs. Homes of a control group
 * (evaluation.controlShare) run every device on plain control in both runs, so the market run holds both
 * groups side by side.
 */
import type { SeededRandom } from '../core/random.js';
import {
  createBaseLoad,
  createBattery,
  createEv,
  createHvac,
  createPv,
  createWaterHeater,
  sampleBaseLoadParams,
  sampleBatteryParams,
  sampleEvParams,
  sampleHvacParams,
  samplePvParams,
  sampleWaterHeaterParams,
} from '../der/index.js';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  defaultVoltVarMode,
  type InverterFunctions,
} from '../der/inverter/index.js';
import type { ControlMode, DerAgent, DerKind } from '../der/types.js';
import type { Premises } from '../engine/ports.js';
import type { DerShareSpec } from './scenario/scenario-schema.js';
import type { Scenario } from './scenario/parse-scenario.js';

/**
 * IEEE 1547 Category B volt-var for rooftop PV on a feeder. Active power keeps priority here: the meters
 * have already counted the energy, so the inverter's reactive power must fit in what is left of its kVA.
 */
const PV_VOLT_VAR: InverterFunctions = {
  ...DEFAULT_INVERTER_FUNCTIONS,
  reactive: defaultVoltVarMode('B'),
  priority: 'active',
};

export type ShareKey = 'hvac' | 'waterHeater' | 'pv' | 'battery' | 'ev';
const SHARE_KEYS: readonly ShareKey[] = ['hvac', 'waterHeater', 'pv', 'battery', 'ev'];

/** Which homes get a device of a kind, and which of those follow the market. */
export interface Placement {
  readonly has: Uint8Array;
  readonly transactive: Uint8Array;
}

function place(spec: DerShareSpec, homes: number, rng: SeededRandom): Placement {
  const has = new Uint8Array(homes);
  const transactive = new Uint8Array(homes);
  const owners = rng
    .shuffle(Array.from({ length: homes }, (_, i) => i))
    .slice(0, Math.round(spec.share * homes));
  const participating = Math.round(spec.transactiveShare * owners.length);
  owners.forEach((home, rank) => {
    has[home] = 1;
    transactive[home] = rank < participating ? 1 : 0;
  });
  return { has, transactive };
}

/**
 * Which homes own which devices: the first draws `buildPopulation` makes from its generator, so a fresh
 * generator of the same seed gives the placement the population will have (the control group is
 * stratified by it before the homes are built).
 */
export function placeDevices(scenario: Scenario, rng: SeededRandom): Readonly<Record<ShareKey, Placement>> {
  const { population } = scenario;
  return Object.fromEntries(
    SHARE_KEYS.map((key) => [
      key,
      place(population[key], population.homes, rng.fork(SHARE_KEYS.indexOf(key))),
    ]),
  ) as Record<ShareKey, Placement>;
}

/** The participant class of the homes the evaluation keeps out of the market as its control group. */
export const CONTROL_GROUP_CLASS = 'control';

/** `controlGroup[h]` 1: home h is in the control group (plain control everywhere, class 'control'). */
export function buildPopulation(
  scenario: Scenario,
  rng: SeededRandom,
  run: 'te' | 'baseline',
  controlGroup?: Uint8Array,
): Premises[] {
  const { population } = scenario;
  const homes = population.homes;
  const placements = placeDevices(scenario, rng);
  const utcOffsetHours = scenario.utcOffsetMinutes / 60;
  const premises: Premises[] = [];
  for (let h = 0; h < homes; h++) {
    // One generator per home: a home's devices do not change when another home's do.
    const homeRng = rng.fork(1000 + h);
    const id = `home-${String(h + 1).padStart(String(homes).length, '0')}`;
    const devices: DerAgent[] = [];
    const control = controlGroup?.[h] === 1;
    const classes: string[] = control ? [CONTROL_GROUP_CLASS] : [];
    const followsMarket = (key: ShareKey): boolean => !control && placements[key].transactive[h] === 1;
    const modeOf = (key: ShareKey): ControlMode =>
      run === 'te' && followsMarket(key) ? 'transactive' : 'baseline';
    devices.push(
      createBaseLoad(`${id}/base-load`, sampleBaseLoadParams(homeRng, { utcOffsetHours }), 'baseline'),
    );
    if (placements.hvac.has[h] === 1) {
      const slider = homeRng.normalClamped(population.comfortSlider, 0.15, 0, 1);
      const params = sampleHvacParams(homeRng, { comfortSlider: slider });
      devices.push(createHvac(`${id}/hvac`, params, modeOf('hvac')));
      classes.push(followsMarket('hvac') ? 'hvac-transactive' : 'hvac-plain');
    }
    if (placements.waterHeater.has[h] === 1) {
      const params = sampleWaterHeaterParams(homeRng, { utcOffsetHours });
      devices.push(createWaterHeater(`${id}/water-heater`, params, modeOf('waterHeater')));
      classes.push('water-heater');
    }
    if (placements.pv.has[h] === 1) {
      const inverter = scenario.feeder?.pvInverters === 'volt-var' ? PV_VOLT_VAR : undefined;
      devices.push(
        createPv(
          `${id}/pv`,
          samplePvParams(homeRng, inverter === undefined ? {} : { inverter }),
          modeOf('pv'),
        ),
      );
      classes.push('pv');
    }
    if (placements.battery.has[h] === 1) {
      devices.push(createBattery(`${id}/battery`, sampleBatteryParams(homeRng), modeOf('battery')));
      classes.push('battery');
    }
    if (placements.ev.has[h] === 1) {
      devices.push(createEv(`${id}/ev`, sampleEvParams(homeRng, { utcOffsetHours }), modeOf('ev')));
      classes.push('ev');
    }
    premises.push({ id, classes, devices });
  }
  return premises;
}

export function countDevices(premises: readonly Premises[]): Record<string, number> {
  const counts: Partial<Record<DerKind, number>> = {};
  for (const p of premises) for (const d of p.devices) counts[d.kind] = (counts[d.kind] ?? 0) + 1;
  return counts;
}
