import { describe, expect, it } from 'vitest';
import { billChangeGini } from './fairness.js';

describe('billChangeGini', () => {
  it('is 0 when every bill changed in the same proportion', () => {
    expect(billChangeGini([8, 16, 4], [10, 20, 5])).toBeCloseTo(0, 12);
  });

  it('matches the textbook value for a known distribution, and grows with inequality', () => {
    // ratios 1, 2, 3, 4: Gini = Σ|xi − xj| / (2 n² mean) = 20 / (2·16·2.5) = 0.25
    expect(billChangeGini([1, 2, 3, 4], [1, 1, 1, 1])).toBeCloseTo(0.25, 12);
    expect(billChangeGini([0, 0, 0, 4], [1, 1, 1, 1])).toBeCloseTo(0.75, 12);
  });

  it('leaves out homes without a baseline bill and says so with NaN when none remain', () => {
    expect(billChangeGini([5, 7], [0, 0])).toBeNaN();
    expect(billChangeGini([2, 99], [2, 0])).toBeCloseTo(0, 12);
  });
});
