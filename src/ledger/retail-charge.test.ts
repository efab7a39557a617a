import { describe, expect, it } from 'vitest';
import { minorUnitsFromMicro, USD } from '../core/money.js';
import { retailPricePerKwh, slotChargeMicro } from './retail-charge.js';

describe('retail charges', () => {
  it('prices fixed and real-time tariffs', () => {
    expect(retailPricePerKwh({ kind: 'fixed', energyPricePerKwh: 0.12 }, 0.5)).toBe(0.12);
    expect(retailPricePerKwh({ kind: 'real-time', distributionChargePerKwh: 0.04 }, 0.05)).toBeCloseTo(
      0.09,
      12,
    );
  });

  it('keeps each slot in integer micro-units, credits export, and rounds bills once', () => {
    expect(slotChargeMicro(1.45, 0.1)).toBe(145_000);
    expect(slotChargeMicro(-1.45, 0.1)).toBe(-145_000);
    expect(slotChargeMicro(0.1234567, 0.1)).toBe(12_346); // 12,345.67 micro → 12,346
    // A five-minute charge is a fraction of a cent: 288 of them must not lose a third of the bill.
    let micro = 0;
    for (let slot = 0; slot < 288; slot++) micro += slotChargeMicro(0.125, 0.05); // 0.625 cent each
    expect(minorUnitsFromMicro(micro, USD)).toBe(180);
  });
});
