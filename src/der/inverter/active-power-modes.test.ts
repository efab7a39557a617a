import { describe, expect, it } from 'vitest';
import {
  activePowerTargetPu,
  frequencyDroopGenerationChangePu,
  frequencyDroopPu,
  voltWattGenerationLimitPu,
  voltWattPu,
} from './active-power-modes.js';
import { defaultFrequencyDroop, defaultVoltWatt, inverterRatingFor } from './inverter-settings.js';

describe('volt-watt (Table 10 defaults)', () => {
  const pv = defaultVoltWatt(false);
  it.each([
    [1.0, 1],
    [1.06, 1], // V1
    [1.07, 0.75],
    [1.08, 0.5],
    [1.1, 0], // V2
    [1.15, 0],
  ])('limits generation at V = %f pu to %f pu', (vPu, limitPu) => {
    expect(voltWattGenerationLimitPu(vPu, pv)).toBeCloseTo(limitPu, 12);
  });
  it('curtails PV output (load reference) at and beyond V1/V2', () => {
    expect(voltWattPu(-0.8, 1.06, pv)).toBeCloseTo(-0.8, 12);
    expect(voltWattPu(-0.8, 1.08, pv)).toBeCloseTo(-0.5, 12);
    expect(voltWattPu(-0.3, 1.08, pv)).toBeCloseTo(-0.3, 12);
    expect(voltWattPu(-0.8, 1.12, pv)).toBeCloseTo(0, 12);
    expect(defaultVoltWatt(false, 0.1).points[1]?.pGenerationPu).toBe(0.1);
    expect(defaultVoltWatt(false, 0.5).points[1]?.pGenerationPu).toBe(0.2);
  });
  it('makes a battery charge when P2 is negative', () => {
    const battery = {
      points: [
        { vPu: 1.06, pGenerationPu: 1 },
        { vPu: 1.1, pGenerationPu: -1 },
      ],
      openLoopResponseTimeS: 10,
    };
    expect(voltWattPu(-0.5, 1.09, battery)).toBeCloseTo(0.5, 12);
    expect(voltWattPu(0.8, 1.09, battery)).toBeCloseTo(0.8, 12);
    expect(voltWattPu(0, 1.1, battery)).toBeCloseTo(1, 12);
    const rating = inverterRatingFor({ normalCategory: 'B' }, 5, 5, 2.5);
    expect(activePowerTargetPu({ voltWatt: battery }, rating, 1.1, 60, 0, 1)).toBeCloseTo(0.5, 12);
  });
});

describe('frequency droop (db 0.036 Hz, k 0.05)', () => {
  const droop = defaultFrequencyDroop();
  it('is zero at the deadband edges and 1 pu per 3 Hz beyond', () => {
    expect(frequencyDroopGenerationChangePu(60.036, droop)).toBe(0);
    expect(frequencyDroopGenerationChangePu(59.964, droop)).toBe(0);
    expect(frequencyDroopGenerationChangePu(60.336, droop)).toBeCloseTo(-0.1, 12);
    expect(frequencyDroopGenerationChangePu(60.636, droop)).toBeCloseTo(-0.2, 12);
    expect(frequencyDroopGenerationChangePu(59.664, droop)).toBeCloseTo(0.1, 12);
  });
  it('PV at available power curtails on over-frequency but has no headroom for under-frequency', () => {
    expect(frequencyDroopPu(60.336, -0.8, droop, 0.8)).toBeCloseTo(-0.7, 12);
    expect(frequencyDroopPu(59.664, -0.8, droop, 0.8)).toBeCloseTo(-0.8, 12);
    expect(frequencyDroopPu(59.664, -0.5, droop, 0.8)).toBeCloseTo(-0.6, 12);
    expect(frequencyDroopPu(59.0, -0.5, droop, 0.8)).toBeCloseTo(-0.8, 12);
    expect(frequencyDroopPu(62, -0.5, droop, 0.8)).toBeCloseTo(0, 12);
  });
  it('storage discharges on under-frequency and charges on over-frequency down to P_min', () => {
    const storage = defaultFrequencyDroop(-1);
    expect(frequencyDroopPu(59.364, 0, storage, 1)).toBeCloseTo(-0.2, 12);
    expect(frequencyDroopPu(61, 0, storage, 1)).toBeCloseTo(0.964 / 3, 12);
    expect(frequencyDroopPu(66, 0, storage, 1)).toBeCloseTo(1, 12);
  });
});
