import { describe, expect, it } from 'vitest';
import { PriceStatistics } from './price-statistics.js';

describe('PriceStatistics', () => {
  it('starts at the prior', () => {
    const stats = new PriceStatistics(4, 0.05, 0.01);
    expect(stats.meanPerKwh).toBeCloseTo(0.05, 12);
    expect(stats.stdevPerKwh).toBeCloseTo(0.01, 12);
  });

  it('becomes the plain statistics of the window once full, forgetting older prices', () => {
    const stats = new PriceStatistics(4, 0.05, 0.01);
    for (const p of [9, 9, 0.1, 0.2, 0.3, 0.4]) stats.record(p);
    expect(stats.meanPerKwh).toBeCloseTo(0.25, 12);
    expect(stats.stdevPerKwh).toBeCloseTo(Math.sqrt(0.0125), 12);
  });

  it('ignores non-finite prices and keeps a positive spread', () => {
    const stats = new PriceStatistics(2, 0.05, 0.01);
    stats.record(Number.NaN);
    stats.record(0.05);
    stats.record(0.05);
    expect(stats.meanPerKwh).toBeCloseTo(0.05, 12);
    expect(stats.stdevPerKwh).toBeGreaterThan(0);
  });
});
