import { describe, expect, it } from 'vitest';
import { quantileOfSorted, savingsDistribution } from './savings-distribution.js';

describe('quantileOfSorted', () => {
  it('interpolates between order statistics at rank (n − 1)·p', () => {
    const sorted = [1, 2, 4, 8, 16];
    expect(quantileOfSorted(sorted, 0)).toBe(1);
    expect(quantileOfSorted(sorted, 1)).toBe(16);
    expect(quantileOfSorted(sorted, 0.5)).toBe(4);
    expect(quantileOfSorted(sorted, 0.1)).toBeCloseTo(1.4, 12); // rank 0.4: 1 + 0.4 × (2 − 1)
    expect(quantileOfSorted(sorted, 0.9)).toBeCloseTo(12.8, 12); // rank 3.6: 8 + 0.6 × (16 − 8)
    expect(quantileOfSorted([], 0.5)).toBeNaN();
  });
});

describe('savingsDistribution', () => {
  it('gives percentiles of baseline − market bill, the share worse off and the mean % change', () => {
    const baseline = [10, 20, 30, 40, -5];
    const market = [9, 22, 24, 40, -7];
    // Savings: 1, −2, 6, 0, 2 → sorted −2, 0, 1, 2, 6.
    const distribution = savingsDistribution(baseline, market);
    expect(distribution?.homes).toBe(5);
    expect(distribution?.p10).toBeCloseTo(-2 + 0.4 * 2, 12);
    expect(distribution?.median).toBeCloseTo(1, 12);
    expect(distribution?.p90).toBeCloseTo(2 + 0.6 * 4, 12);
    expect(distribution?.worseOffShare).toBeCloseTo(1 / 5, 12); // only the 20 → 22 home
    // −10 %, +10 %, −20 %, 0 %; the exporter (baseline −5) has no relative change.
    expect(distribution?.meanBillChangePercent).toBeCloseTo(-5, 12);
  });

  it('is null without homes or when the runs cover different homes', () => {
    expect(savingsDistribution([], [])).toBeNull();
    expect(savingsDistribution([1, 2], [1])).toBeNull();
  });

  it('has no mean % change when no home had a positive baseline bill', () => {
    expect(savingsDistribution([0, -1], [1, -2])?.meanBillChangePercent).toBeNaN();
  });
});
