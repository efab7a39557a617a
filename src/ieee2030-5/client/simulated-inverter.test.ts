import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  inverterRatingFor,
  type InverterSettings,
} from '../../der/inverter/index.js';
import type { DERCurve } from '../der-curve.js';
import { inverterDirective } from './inverter-mapping.js';
import { SimulatedSepInverter } from './simulated-inverter.js';

const BATTERY: InverterSettings = {
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: inverterRatingFor(DEFAULT_INVERTER_FUNCTIONS, 5, 5, 5),
};
const NO_CURVES = new Map<string, DERCurve>();

describe('SimulatedSepInverter', () => {
  it('integrates the site meter into import and export energy, and resets on take', () => {
    const inverter = new SimulatedSepInverter(BATTERY);
    // Discharging 3 kW into a 1 kW house for half an hour: 1 kWh exported.
    inverter.step(1800, { vPu: 1, desiredKw: -3, availableGenerationKw: 5, siteLoadKw: 1 });
    expect(inverter.output.siteKw).toBeCloseTo(-2);
    // Charging 2 kW for a quarter of an hour: 0.75 kWh imported with the house.
    inverter.step(900, { vPu: 1, desiredKw: 2, availableGenerationKw: 5, siteLoadKw: 1 });
    const energy = inverter.takeEnergy();
    expect(energy.exportWh).toBeCloseTo(1000);
    expect(energy.importWh).toBeCloseTo(750);
    expect(inverter.takeEnergy()).toEqual({ importWh: 0, exportWh: 0 });
  });

  it('keeps its controller (and the reactive lag) while the settings stay the same in value', () => {
    const inverter = new SimulatedSepInverter(BATTERY);
    const pf = { opModFixedPFInjectW: { displacement: 90, multiplier: -2, excitation: false } };
    const site = { vPu: 1, desiredKw: -4, availableGenerationKw: 5, siteLoadKw: 0 };
    inverter.apply(inverterDirective(pf, NO_CURVES, BATTERY));
    inverter.step(1, site);
    const afterOneSecond = inverter.output.qKvar;
    // A new directive object with equal settings, as every poll builds: the lag continues.
    inverter.apply(inverterDirective(pf, NO_CURVES, BATTERY));
    inverter.step(30, site);
    expect(inverter.output.qKvar).toBeLessThan(afterOneSecond);
    // Injecting at 0.9 pf with 4 kW out: |Q| = 4 · tan(acos 0.9) ≈ 1.94 kvar (load reference: negative).
    expect(inverter.output.qKvar).toBeCloseTo(-1.94, 1);
  });

  it('stops at 0 kW when disconnected, whatever the sun', () => {
    const inverter = new SimulatedSepInverter(BATTERY);
    inverter.apply(inverterDirective({ opModConnect: false }, NO_CURVES, BATTERY));
    expect(inverter.step(60, { vPu: 1, desiredKw: -4, availableGenerationKw: 5, siteLoadKw: 1 }).pKw).toBe(0);
  });
});
