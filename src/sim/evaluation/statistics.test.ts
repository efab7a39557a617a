import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../core/random.js';
import {
  bootstrapDifferenceInterval,
  minimumDetectableEffect,
  sortedQuantile,
  summarize,
  welchInterval,
} from './statistics.js';
import { logGamma, regularizedIncompleteBeta, studentTCdf, studentTQuantile } from './student-t.js';

describe('Student t', () => {
  // Two-sided critical values as printed in standard t tables (three decimals).
  const TABLE: readonly [number, number, number][] = [
    // df, t(0.975), t(0.995)
    [1, 12.706, 63.657],
    [2, 4.303, 9.925],
    [5, 2.571, 4.032],
    [10, 2.228, 3.169],
    [30, 2.042, 2.75],
    [1000, 1.962, 2.581],
  ];

  it.each(TABLE)('matches the table at df %d for 0.95 and 0.99', (df, t95, t99) => {
    expect(studentTQuantile(0.975, df)).toBeCloseTo(t95, 3);
    expect(studentTQuantile(0.995, df)).toBeCloseTo(t99, 3);
    expect(studentTQuantile(0.025, df)).toBeCloseTo(-t95, 3);
  });

  it('agrees with the closed forms and with more precise reference values', () => {
    // df 1 is Cauchy: tan(π(p − ½)); df 2: (2p − 1)/√(2p(1 − p)).
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.706204736, 8);
    expect(studentTQuantile(0.995, 2)).toBeCloseTo(9.9248432009, 8);
    // Reference values to 9 digits (R's qt).
    expect(studentTQuantile(0.975, 5)).toBeCloseTo(2.570581836, 8);
    expect(studentTQuantile(0.995, 30)).toBeCloseTo(2.749995654, 8);
    expect(studentTQuantile(0.975, 1000)).toBeCloseTo(1.962339081, 8);
    // Fractional degrees of freedom, as Welch gives them.
    expect(studentTQuantile(0.975, 3.532846715)).toBeCloseTo(2.927405306, 7);
    expect(studentTQuantile(0.8, 3.532846715)).toBeCloseTo(0.9555697, 6);
  });

  it('inverts its CDF, and the CDF is a CDF', () => {
    for (const df of [1.5, 3, 7.25, 60]) {
      for (const p of [0.001, 0.1, 0.5, 0.8, 0.999]) {
        expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 11);
      }
    }
    expect(studentTCdf(0, 4)).toBe(0.5);
    expect(studentTCdf(Infinity, 4)).toBe(1);
    // P(T ≤ 1) at df 1 is ½ + atan(1)/π = 0.75.
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 13);
  });

  it('builds on a correct log-gamma and incomplete beta', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // I_x(1, 1) = x; I_x(2, 1) = x²; I_x(a, b) = 1 − I_{1−x}(b, a).
    expect(regularizedIncompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 14);
    expect(regularizedIncompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 14);
    expect(regularizedIncompleteBeta(0.7, 2.5, 4)).toBeCloseTo(
      1 - regularizedIncompleteBeta(0.3, 4, 2.5),
      14,
    );
  });

  it('refuses impossible arguments with a coded error', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(expect.objectContaining({ code: 'TE_ERR_VALIDATION' }));
    expect(() => studentTQuantile(0.9, 0)).toThrow(expect.objectContaining({ code: 'TE_ERR_VALIDATION' }));
    expect(() => studentTQuantile(0.9, Number.NaN)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION' }),
    );
  });
});

describe('Welch interval', () => {
  it('matches a hand-computed example', () => {
    // a: mean 3, s² = 10/4 = 2.5; b: mean 4, s² = 8/2 = 4.
    // SE² = 2.5/5 + 4/3 = 11/6; ν = (11/6)² / (0.5²/4 + (4/3)²/2) = 3.3611/0.95139 = 3.532847.
    const interval = welchInterval([1, 2, 3, 4, 5], [2, 4, 6], 0.95);
    expect(interval.estimate).toBe(-1);
    expect(interval.standardError).toBeCloseTo(Math.sqrt(11 / 6), 14);
    expect(interval.degreesOfFreedom).toBeCloseTo(121 / 36 / (1 / 16 + 8 / 9), 12);
    // Half width 2.927405 × 1.354006 = 3.963726.
    expect(interval.low).toBeCloseTo(-4.963726, 5);
    expect(interval.high).toBeCloseTo(2.963726, 5);
  });

  it('gives a point interval for constant samples, and refuses a group of one', () => {
    const flat = welchInterval([2, 2, 2], [1, 1], 0.9);
    expect(flat).toMatchObject({ estimate: 1, standardError: 0, degreesOfFreedom: 3, low: 1, high: 1 });
    expect(() => welchInterval([1], [1, 2], 0.95)).toThrow(
      expect.objectContaining({ code: 'TE_ERR_VALIDATION' }),
    );
  });

  it('covers a known effect 95% ± 3% of the time over 200 seeded populations', () => {
    // 200 trials carry binomial noise of ±1.5% (one sd); over 5,000 trials this setup covers 95.2%.
    const rng = new SeededRandom(1);
    const trueEffect = -0.4;
    let covered = 0;
    for (let trial = 0; trial < 200; trial++) {
      // Unequal sizes and spreads, the case Welch is for: 45 treated homes (sd 1.2), 25 controls (sd 0.6).
      const treatment = Array.from({ length: 45 }, () => rng.normal(2 + trueEffect, 1.2));
      const control = Array.from({ length: 25 }, () => rng.normal(2, 0.6));
      const interval = welchInterval(treatment, control, 0.95);
      if (interval.low <= trueEffect && trueEffect <= interval.high) covered++;
    }
    expect(covered / 200).toBeGreaterThanOrEqual(0.92);
    expect(covered / 200).toBeLessThanOrEqual(0.98);
  });
});

describe('bootstrap and power', () => {
  it('the bootstrap interval is seeded and close to Welch on normal data', () => {
    const rng = new SeededRandom(5);
    const a = Array.from({ length: 80 }, () => rng.normal(1, 1));
    const b = Array.from({ length: 60 }, () => rng.normal(0, 1));
    const boot = bootstrapDifferenceInterval(a, b, 0.95, 11);
    expect(bootstrapDifferenceInterval(a, b, 0.95, 11)).toEqual(boot);
    expect(bootstrapDifferenceInterval(a, b, 0.95, 12)).not.toEqual(boot);
    const welch = welchInterval(a, b, 0.95);
    // Percentile bootstrap runs slightly narrow at these sizes; within a tenth of the width.
    const width = welch.high - welch.low;
    expect(Math.abs(boot.low - welch.low)).toBeLessThan(0.1 * width);
    expect(Math.abs(boot.high - welch.high)).toBeLessThan(0.1 * width);
  });

  it('interpolates quantiles between order statistics', () => {
    expect(sortedQuantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(sortedQuantile([1, 2, 3, 4], 0)).toBe(1);
    expect(sortedQuantile([1, 2, 3, 4], 1)).toBe(4);
    expect(summarize([1, 2, 3, 4])).toEqual({ count: 4, mean: 2.5, variance: 5 / 3 });
  });

  it('minimum detectable effect at 80% power', () => {
    // Large ν: (1.96 + 0.8416) × SE ≈ 2.80 × SE, the textbook rule of thumb.
    expect(minimumDetectableEffect(1, 1e5, 0.95)).toBeCloseTo(2.8016, 3);
    // ν = 10: (2.228139 + 0.879058) × 0.5.
    expect(minimumDetectableEffect(0.5, 10, 0.95)).toBeCloseTo(1.5535985, 6);
    expect(minimumDetectableEffect(0, 10, 0.95)).toBe(0);
  });
});
