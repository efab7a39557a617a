import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import { retailPricePerKwh, slotChargeMinor } from './retail-charge.js';

describe('retail charges', () => {
  it('prices fixed and real-time tariffs', () => {
    expect(retailPricePerKwh({ kind: 'fixed', energyPricePerKwh: 0.12 }, 0.5)).toBe(0.12);
    expect(retailPricePerKwh({ kind: 'real-time', distributionChargePerKwh: 0.04 }, 0.05)).toBeCloseTo(
      0.09,
      12,
    );
  });

  it('rounds each slot half to even in minor units and credits export', () => {
    expect(slotChargeMinor(1.45, 0.1, USD)).toBe(14); // 14.5 cents → 14 (even)
    expect(slotChargeMinor(1.55, 0.1, USD)).toBe(16); // 15.5 cents → 16 (even)
    expect(slotChargeMinor(-1.45, 0.1, USD)).toBe(-14);
    expect(slotChargeMinor(0.3333, 0.12, USD)).toBe(4);
    expect(Number.isInteger(slotChargeMinor(123.456, 0.0789, USD))).toBe(true);
  });
});
