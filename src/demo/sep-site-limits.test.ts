/**
 * The 2030.5 limits acting on a home's physics: the directive the client would follow for a DERControl
 * (the real mapping, inverterDirective) caps the home's PV and battery in the engine's step, and the
 * home's metered power (what its reading is made of) shows the cap. A home that is not followed steps
 * exactly as before.
 */
import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import { createBattery, DEFAULT_BATTERY_PARAMS } from '../der/battery.js';
import { DEFAULT_INVERTER_FUNCTIONS } from '../der/inverter/index.js';
import { createPv, DEFAULT_PV_PARAMS, pvAcOutputKw, pvInverterRating } from '../der/pv.js';
import type { DerAgent, WeatherSnapshot } from '../der/types.js';
import type { Premises } from '../engine/ports.js';
import { PriceStatistics } from '../engine/price-statistics.js';
import { TransactiveCycle } from '../engine/transactive-cycle.js';
import type { DERControlBase } from '../ieee2030-5/der-control.js';
import { inverterDirective } from '../ieee2030-5/client/inverter-mapping.js';
import { uniformPriceAuction } from '../market/mechanism/uniform-price-mechanism.js';
import { inverterLimitsFor, SepSiteLimits } from './sep-site-limits.js';

const SUNNY: WeatherSnapshot = {
  timeMs: 0,
  outdoorTempC: 25,
  ghiWm2: 1000,
  dniWm2: 900,
  dhiWm2: 100,
  windSpeedMps: 1,
  solarZenithDeg: 20,
  solarAzimuthDeg: 180,
};
const SLOT = { startMs: 0, endMs: 300_000 };
/** A 10 kW array on a 5 kVA inverter: 5 kW in this sun. */
const PV_PARAMS = { ...DEFAULT_PV_PARAMS, ratedDcKw: 10, inverterKva: 5 };
const PV_SETTINGS = {
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: pvInverterRating(PV_PARAMS, DEFAULT_INVERTER_FUNCTIONS),
};

/** The rest of a house: a constant load. */
const houseLoad = (id: string, powerKw: number): DerAgent => ({
  id,
  kind: 'base-load',
  mode: 'baseline',
  bid: () => [],
  dispatch: () => undefined,
  step: () => powerKw,
  observe: () => ({ powerKw }),
});

const watts = (value: number) => ({ value, multiplier: 0 });
const directiveOf = (base: DERControlBase) => inverterDirective(base, new Map(), PV_SETTINGS);

/** The engine's cycle over the premises, as the demo drives it: dispatch, the limits, step and meter. */
function cycleOf(premises: Premises[]): TransactiveCycle {
  return new TransactiveCycle(premises, {
    mode: 'transactive',
    priceCapPerKwh: 1,
    bidOffsetPerKwh: 0.0001,
    mustRunPricePerKwh: 1,
    mustRunValuePerKwh: 0.1,
    mechanism: uniformPriceAuction,
    supplier: { offerForSlot: () => ({ side: 'sell', pricePerKwh: 0.05, powerKw: 100 }) },
    tariff: { kind: 'real-time', distributionChargePerKwh: 0.01 },
    currency: USD,
    priceStatistics: new PriceStatistics(12, 0.05, 0.01),
    forecastPricesPerKwh: () => [0.05],
  });
}

function stepSlot(cycle: TransactiveCycle, limits: SepSiteLimits, awardedKw = 0): Float64Array {
  cycle.dispatchDevices(SLOT, 0.05, false);
  for (const device of cycle.devices) {
    if (device.kind === 'battery')
      device.dispatch({ slot: SLOT, clearingPricePerKwh: 0.05, awardedKw, marginalShare: 1 });
  }
  limits.limitSlot(SUNNY);
  cycle.stepAndMeter(SLOT, SUNNY);
  limits.countSlot(SLOT);
  return Float64Array.from(cycle.premisesMeteredKw);
}

describe('2030.5 limits on a home’s physics', () => {
  it('a PV home exporting 5 kW under a 3 kW export limit exports 3 kW, and its reading shows it', () => {
    expect(pvAcOutputKw(PV_PARAMS, SUNNY)).toBe(5);
    const followed: Premises = { id: 'sep', classes: [], devices: [createPv('a', PV_PARAMS, 'transactive')] };
    const plain: Premises = { id: 'plain', classes: [], devices: [createPv('b', PV_PARAMS, 'transactive')] };
    const cycle = cycleOf([followed, plain]);
    const limits = new SepSiteLimits();
    let base: DERControlBase = { opModMaxLimWInject: watts(3000) };
    limits.follow(followed, () => directiveOf(base));

    const metered = stepSlot(cycle, limits);
    expect(metered[0]).toBe(-3);
    // The reading the home posts for the slot: 3 kW for 5 minutes exported.
    expect(Math.round((metered[0] ?? 0) * (5 / 60) * 1000)).toBe(-250);
    expect(metered[1]).toBe(-5);
    expect(limits.curtailedKwh).toBeCloseTo(2 * (5 / 60), 12);

    // A disconnect: no injection at all.
    base = { opModConnect: false };
    expect(stepSlot(cycle, limits)[0]).toBe(0);
    base = { opModEnergize: false, opModMaxLimWInject: watts(3000) };
    expect(stepSlot(cycle, limits)[0]).toBe(0);
    expect(limits.curtailedKwh).toBeCloseTo((2 + 5 + 5) * (5 / 60), 12);

    // No limit in the directive (only the market's advisory target): the whole output again.
    base = { opModTargetW: watts(1000) };
    expect(stepSlot(cycle, limits)[0]).toBe(-5);
    expect(limits.curtailedKwh).toBeCloseTo(12 * (5 / 60), 12);
  });

  it('a home not followed steps byte for byte as without the limits', () => {
    const build = (): Premises[] =>
      ['x', 'y'].map((id) => ({
        id,
        classes: [],
        devices: [
          houseLoad(`${id}/load`, 1),
          createPv(`${id}/pv`, PV_PARAMS, 'transactive'),
          createBattery(`${id}/battery`, DEFAULT_BATTERY_PARAMS, 'transactive'),
        ],
      }));
    const withLimits = build();
    const without = build();
    const limits = new SepSiteLimits();
    limits.follow(withLimits[0] as Premises, () => directiveOf({ opModMaxLimWInject: watts(0) }));
    const a = cycleOf(withLimits);
    const b = cycleOf(without);
    for (let slot = 0; slot < 3; slot++) {
      const limited = stepSlot(a, limits, -4);
      const free = stepSlot(b, new SepSiteLimits(), -4);
      expect(limited[1]).toBe(free[1]);
      expect(withLimits[1]?.devices.map((d) => d.observe())).toEqual(
        without[1]?.devices.map((d) => d.observe()),
      );
      expect(limited[0]).toBeCloseTo(0, 12);
    }
  });

  it('PV and battery share the export limit, the PV first; the battery charges within the import limit', () => {
    const home: Premises = {
      id: 'sep',
      classes: [],
      devices: [
        houseLoad('load', 1),
        createPv('pv', PV_PARAMS, 'transactive'),
        createBattery('battery', DEFAULT_BATTERY_PARAMS, 'transactive'),
      ],
    };
    const cycle = cycleOf([home]);
    const limits = new SepSiteLimits();
    let base: DERControlBase = { opModMaxLimWInject: watts(3000) };
    limits.follow(home, () => directiveOf(base));
    const metered = stepSlot(cycle, limits, -4);
    // 1 kW of house, PV 4 of its 5 kW, the battery's 4 kW award held back: 3 kW exported.
    expect(metered[0]).toBeCloseTo(-3, 12);
    expect(home.devices.map((d) => d.observe().powerKw + 0)).toEqual([1, -4, 0]);

    base = { opModMaxLimWAbsorb: watts(2000) };
    // Charging at 5 kW with 1 kW of house and 5 kW of sun would import 1 kW: allowed up to 2 kW import.
    expect(stepSlot(cycle, limits, 5)[0]).toBeCloseTo(1, 12);
    base = { opModMaxLimWAbsorb: watts(0) };
    expect(stepSlot(cycle, limits, 5)[0]).toBeCloseTo(0, 12);
    expect(home.devices[2]?.observe().powerKw).toBeCloseTo(4, 12);
  });

  it('limits nothing when the directive limits nothing, and clamps a negative site to no injection', () => {
    const site = { otherLoadKw: 0, pvAvailableKw: 5 };
    expect(inverterLimitsFor(directiveOf({}), site, 'pv')).toEqual({});
    expect(inverterLimitsFor(directiveOf({ opModTargetW: watts(2000) }), site, 'pv')).toEqual({});
    // An export limit of 0 W with a house that exports through another device: nothing more may go out.
    const limits = inverterLimitsFor(
      directiveOf({ opModMaxLimWInject: watts(0) }),
      { otherLoadKw: -2, pvAvailableKw: 5 },
      'pv',
    );
    expect(limits).toEqual({ pv: { maxGenerationKw: 0 }, battery: { maxGenerationKw: 0 } });
    // opModMaxLimW (a share of the controlled device's rating) caps that device only.
    expect(inverterLimitsFor(directiveOf({ opModMaxLimW: 5000 }), site, 'pv')).toEqual({
      pv: { maxGenerationKw: 2.5 },
    });
  });
});
