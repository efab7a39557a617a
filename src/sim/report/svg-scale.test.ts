import { describe, expect, it } from 'vitest';
import { finiteExtent, linearScale, niceTicks } from './svg-scale.js';

describe('svg scales', () => {
  it('puts ticks on round numbers covering the data', () => {
    const ticks = niceTicks({ min: 3.2, max: 171.6 });
    expect(ticks.values).toEqual([0, 50, 100, 150, 200]);
    expect(ticks.domain).toEqual({ min: 0, max: 200 });
    expect(niceTicks({ min: 0.08, max: 0.2875 }).values).toEqual([0.05, 0.1, 0.15, 0.2, 0.25, 0.3]);
  });

  it('widens flat and missing domains', () => {
    expect(niceTicks({ min: 0, max: 0 }).domain).toEqual({ min: 0, max: 1 });
    const flat = niceTicks({ min: 75, max: 75 }).domain;
    expect(flat.min).toBeLessThan(75);
    expect(flat.max).toBeGreaterThan(75);
    expect(niceTicks(undefined).domain).toEqual({ min: 0, max: 1 });
  });

  it('ignores non-finite values and maps linearly', () => {
    expect(finiteExtent([[Number.NaN, 2, Number.POSITIVE_INFINITY], Float64Array.from([-1])])).toEqual({
      min: -1,
      max: 2,
    });
    expect(finiteExtent([[Number.NaN]])).toBeUndefined();
    const y = linearScale({ min: 0, max: 10 }, 300, 100);
    expect(y(0)).toBe(300);
    expect(y(5)).toBe(200);
    expect(linearScale({ min: 1, max: 1 }, 0, 100)(1)).toBe(50);
  });
});
