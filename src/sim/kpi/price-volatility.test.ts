import { describe, expect, it } from 'vitest';
import { priceVolatility } from './price-volatility.js';

describe('priceVolatility', () => {
  it('gives the population stdev and the mean absolute slot-to-slot change', () => {
    // Mean 0.05; deviations −0.03, +0.01, +0.03, −0.01 → variance (9+1+9+1)e-4 / 4 = 5e-4.
    const volatility = priceVolatility([0.02, 0.06, 0.08, 0.04]);
    expect(volatility.stdevPerKwh).toBeCloseTo(Math.sqrt(5e-4), 12);
    // |0.04| + |0.02| + |−0.04| over 3 changes
    expect(volatility.meanAbsChangePerKwh).toBeCloseTo(0.1 / 3, 12);
  });

  it('skips slots without a price, and changes across them', () => {
    const volatility = priceVolatility([0.1, Number.NaN, 0.3, 0.2]);
    expect(volatility.stdevPerKwh).toBeCloseTo(Math.sqrt(((0.1 - 0.2) ** 2 + 0.1 ** 2 + 0) / 3), 12);
    expect(volatility.meanAbsChangePerKwh).toBeCloseTo(0.1, 12); // only 0.3 → 0.2
  });

  it('is NaN without prices (a run without a market)', () => {
    const volatility = priceVolatility(new Float64Array(3).fill(Number.NaN));
    expect(volatility.stdevPerKwh).toBeNaN();
    expect(volatility.meanAbsChangePerKwh).toBeNaN();
  });
});
