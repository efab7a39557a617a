import { describe, expect, it } from 'vitest';
import { gini, histogram, meterCosts, priceVolatility, shortPseudonym } from './fairness';

describe('fairness', () => {
  it('prices each meter at its slots’ clearing prices, imports paid and exports credited', () => {
    const prices = new Map([
      [0, 0.1],
      [300_000, 0.2],
    ]);
    const costs = meterCosts(
      [
        { meterId: 'b', timeMs: 0, energyWh: 1000 },
        { meterId: 'b', timeMs: 300_000, energyWh: 1000 },
        { meterId: 'a', timeMs: 300_000, energyWh: -500 },
        { meterId: 'a', timeMs: 600_000, energyWh: 9999 }, // no price: left out
      ],
      prices,
    );
    expect(costs).toHaveLength(2);
    expect(costs[0]).toMatchObject({
      pseudonym: 'a',
      importedKwh: 0,
      exportedKwh: 0.5,
      pricePaidPerKwh: undefined,
    });
    expect(costs[0]?.netCost).toBeCloseTo(-0.1);
    expect(costs[1]?.netCost).toBeCloseTo(0.3);
    expect(costs[1]?.pricePaidPerKwh).toBeCloseTo(0.15);
  });

  it('computes the Gini coefficient: 0 for equal shares, (n-1)/n when one holds all', () => {
    expect(gini([2, 2, 2, 2])).toBeCloseTo(0);
    expect(gini([0, 0, 0, 10])).toBeCloseTo(0.75);
    expect(gini([1, 2, 3, 4])).toBeCloseTo(0.25);
    expect(gini([1])).toBeUndefined();
    expect(gini([1, -1])).toBeUndefined();
    expect(gini([0, 0])).toBeUndefined();
  });

  it('bins values into equal widths, the maximum in the last bin', () => {
    expect(histogram([0, 1, 2, 3, 4], 2)).toEqual([
      { fromValue: 0, toValue: 2, count: 2 },
      { fromValue: 2, toValue: 4, count: 3 },
    ]);
    expect(histogram([5, 5], 4)).toEqual([{ fromValue: 5, toValue: 5, count: 2 }]);
    expect(histogram([], 4)).toEqual([]);
  });

  it('measures price volatility', () => {
    const v = priceVolatility([0.1, 0.3, 0.1, 0.3]);
    expect(v?.meanPerKwh).toBeCloseTo(0.2);
    expect(v?.stdDevPerKwh).toBeCloseTo(0.1);
    expect(v?.meanAbsChangePerKwh).toBeCloseTo(0.2);
    expect(v?.minPerKwh).toBe(0.1);
    expect(priceVolatility([])).toBeUndefined();
  });

  it('shortens a pseudonym', () => {
    expect(shortPseudonym('0123456789abcdef')).toBe('0123456789');
  });
});
