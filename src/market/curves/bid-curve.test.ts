import { describe, expect, it } from 'vitest';
import { netDemandAt, quantityAt, validateBidCurve, type BidCurve } from './bid-curve.js';

const CAP = 1;
const curve = (
  side: BidCurve['side'],
  interpolation: BidCurve['interpolation'],
  points: [number, number][],
): BidCurve => ({
  side,
  interpolation,
  points: points.map(([price, quantity]) => ({ price, quantity })),
});

describe('validateBidCurve', () => {
  it('accepts monotone curves within the cap', () => {
    expect(
      validateBidCurve(
        curve('demand', 'linear', [
          [-1, 5],
          [0.2, 5],
          [0.4, 0],
        ]),
        CAP,
      ),
    ).toBeUndefined();
    expect(
      validateBidCurve(
        curve('supply', 'step', [
          [0.1, 0],
          [0.3, 4],
          [1, 4],
        ]),
        CAP,
      ),
    ).toBeUndefined();
    expect(validateBidCurve(curve('demand', 'step', [[0.3, 2]]), CAP)).toBeUndefined();
  });

  it.each([
    ['empty', curve('demand', 'linear', []), 'TE_ERR_VALIDATION', 'points'],
    [
      'demand rising',
      curve('demand', 'linear', [
        [0, 1],
        [0.1, 1],
        [0.2, 1],
        [0.3, 2],
      ]),
      'TE_ERR_VALIDATION',
      'points[3].quantity',
    ],
    [
      'supply falling',
      curve('supply', 'step', [
        [0, 3],
        [0.5, 2],
      ]),
      'TE_ERR_VALIDATION',
      'points[1].quantity',
    ],
    [
      'price not increasing',
      curve('demand', 'step', [
        [0.2, 3],
        [0.2, 2],
      ]),
      'TE_ERR_VALIDATION',
      'points[1].price',
    ],
    [
      'NaN price',
      curve('demand', 'linear', [
        [0, 3],
        [Number.NaN, 2],
      ]),
      'TE_ERR_NOT_FINITE',
      'points[1].price',
    ],
    [
      'infinite quantity',
      curve('supply', 'linear', [[0, Number.POSITIVE_INFINITY]]),
      'TE_ERR_NOT_FINITE',
      'points[0].quantity',
    ],
    [
      'beyond the cap',
      curve('demand', 'linear', [
        [0, 3],
        [1.5, 2],
      ]),
      'TE_ERR_PRICE_OUT_OF_RANGE',
      'points[1].price',
    ],
    ['below −cap', curve('supply', 'linear', [[-1.01, 0]]), 'TE_ERR_PRICE_OUT_OF_RANGE', 'points[0].price'],
    [
      'negative quantity',
      curve('supply', 'linear', [[0, -1]]),
      'TE_ERR_NEGATIVE_QUANTITY',
      'points[0].quantity',
    ],
  ])('refuses %s with a coded error naming the point', (_name, bad, code, path) => {
    const error = validateBidCurve(bad, CAP, 'bids[2].');
    expect(error?.code).toBe(code);
    expect(error?.path).toBe(`bids[2].${path}`);
    expect(error?.hint).toBeTruthy();
  });
});

describe('quantityAt', () => {
  it('interpolates linear curves and stays flat beyond the ends', () => {
    const c = curve('demand', 'linear', [
      [0.1, 10],
      [0.3, 0],
    ]);
    expect(quantityAt(c, -1)).toBe(10);
    expect(quantityAt(c, 0.2)).toBeCloseTo(5, 12);
    expect(quantityAt(c, 0.3)).toBe(0);
    expect(quantityAt(c, 1)).toBe(0);
    expect(netDemandAt({ ...c, side: 'demand' }, 0.2)).toBeCloseTo(5, 12);
  });

  it('reads step points as orders: the marginal order is in at its own price', () => {
    // Demand: 6 kW up to 0.2, 2 kW up to 0.5, nothing above.
    const demand = curve('demand', 'step', [
      [0.2, 6],
      [0.5, 2],
      [1, 0],
    ]);
    expect(quantityAt(demand, 0.1)).toBe(6);
    expect(quantityAt(demand, 0.2)).toBe(6);
    expect(quantityAt(demand, 0.21)).toBe(2);
    expect(quantityAt(demand, 0.5)).toBe(2);
    expect(quantityAt(demand, 0.7)).toBe(0);
    // Supply: 3 kW from 0.1, 8 kW from 0.4.
    const supply = curve('supply', 'step', [
      [-1, 0],
      [0.1, 3],
      [0.4, 8],
    ]);
    expect(quantityAt(supply, 0.05)).toBe(0);
    expect(quantityAt(supply, 0.1)).toBe(3);
    expect(quantityAt(supply, 0.39)).toBe(3);
    expect(quantityAt(supply, 0.4)).toBe(8);
    expect(netDemandAt(supply, 0.5)).toBe(-8);
  });
});
