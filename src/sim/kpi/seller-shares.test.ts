import { describe, expect, it } from 'vitest';
import { sellerConcentration } from './seller-shares.js';

describe('sellerConcentration', () => {
  it('gives the largest seller, the largest premises and the HHI of the energy sold', () => {
    // Sold: premises 10, 0, 30 kWh; the supplier 60 kWh. Total 100 kWh: shares 0.1, 0.3, 0.6.
    const concentration = sellerConcentration([10, 0, 30], [60]);
    expect(concentration.largestSellerShare).toBeCloseTo(0.6, 12);
    expect(concentration.largestLocalSellerShare).toBeCloseTo(0.3, 12);
    // (10² + 30² + 60²) = 100 + 900 + 3600
    expect(concentration.hhi).toBeCloseTo(4600, 9);
  });

  it('is 10 000 for a monopoly and 10 000 / n for n equal sellers', () => {
    expect(sellerConcentration([0, 0], [25]).hhi).toBeCloseTo(10_000, 9);
    expect(sellerConcentration([0, 0], [25]).largestLocalSellerShare).toBe(0);
    expect(sellerConcentration([5, 5, 5, 5], []).hhi).toBeCloseTo(2500, 9);
  });

  it('is NaN when nothing was sold', () => {
    const none = sellerConcentration([0, 0], [0]);
    expect(none.largestSellerShare).toBeNaN();
    expect(none.hhi).toBeNaN();
  });
});
