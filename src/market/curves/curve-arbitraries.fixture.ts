/** Random valid bid curves for the property tests. */
import fc from 'fast-check';
import type { BidCurve, CurveInterpolation, CurveSide } from './bid-curve.js';

export const PRICE_CAP = 1;

const SIDES: CurveSide[] = ['demand', 'supply'];
const INTERPOLATIONS: CurveInterpolation[] = ['linear', 'step'];

/** 1–5 points, prices in hundredths within ±cap, quantities in tenths of a kW, monotone for the side. */
export function bidCurveOf(
  sides: readonly CurveSide[] = SIDES,
  interpolations: readonly CurveInterpolation[] = INTERPOLATIONS,
): fc.Arbitrary<BidCurve> {
  return fc
    .record({
      side: fc.constantFrom(...sides),
      interpolation: fc.constantFrom(...interpolations),
      prices: fc.uniqueArray(fc.integer({ min: -100, max: 100 }), { minLength: 1, maxLength: 5 }),
      quantities: fc.array(fc.integer({ min: 0, max: 200 }), { minLength: 5, maxLength: 5 }),
    })
    .map(({ side, interpolation, prices, quantities }) => {
      const sortedPrices = [...prices].sort((a, b) => a - b);
      const sortedQuantities = quantities
        .slice(0, sortedPrices.length)
        .sort((a, b) => (side === 'demand' ? b - a : a - b));
      return {
        side,
        interpolation,
        points: sortedPrices.map((p, i) => ({ price: p / 100, quantity: (sortedQuantities[i] ?? 0) / 10 })),
      };
    });
}

export const bidCurve = bidCurveOf();
