import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { netDemandAt, quantityAt, type BidCurve } from './bid-curve.js';
import { bidCurve, bidCurveOf, PRICE_CAP } from './curve-arbitraries.fixture.js';
import { aggregateCurves, disaggregate, leafDemandsAt, type CurveAggregate } from './curve-aggregation.js';
import { intersectNetDemand } from './curve-intersection.js';
import { sumCurvesExact } from './curve-sum-exact.js';
import { basisPrice, demandAtPrice, marketBasis, type MarketBasis } from './market-basis.js';

function basisOf(steps: number): MarketBasis {
  const result = marketBasis(-PRICE_CAP, PRICE_CAP, steps);
  if (!result.ok) throw result.error;
  return result.value;
}

function aggregate(children: Parameters<typeof aggregateCurves>[0], basis: MarketBasis): CurveAggregate {
  const result = aggregateCurves(children, basis);
  if (!result.ok) throw result.error;
  return result.value;
}

const closeTo = (a: number, b: number, scale: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, scale);

describe('aggregation on a market basis', () => {
  it('equals brute-force summation of every curve at every basis price', () => {
    fc.assert(
      fc.property(
        fc.array(bidCurve, { maxLength: 30 }),
        fc.integer({ min: 2, max: 250 }),
        (curves, steps) => {
          const basis = basisOf(steps);
          const { demandKw } = aggregate(curves, basis);
          for (let k = 0; k < steps; k++) {
            let brute = 0;
            for (const curve of curves) brute += netDemandAt(curve, basisPrice(basis, k));
            expect(closeTo(demandKw[k] ?? NaN, brute, 1000)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('disaggregates a price into children that sum to the aggregate', () => {
    fc.assert(
      fc.property(
        fc.array(bidCurve, { minLength: 1, maxLength: 30 }),
        fc.double({ min: -PRICE_CAP, max: PRICE_CAP, noNaN: true }),
        (curves, price) => {
          const basis = basisOf(101);
          const root = aggregate(curves, basis);
          const parts = disaggregate(root, price);
          const sum = parts.reduce((total, part) => total + part, 0);
          expect(closeTo(sum, demandAtPrice(root.demandKw, basis, price), 1000)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a child aggregate on a different basis', () => {
    const child = aggregate([], basisOf(11));
    const result = aggregateCurves([child], basisOf(21));
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.path).toBe('children[0]');
  });
});

describe('exact summation (breakpoint merge)', () => {
  it.each([
    ['demand', 'linear'],
    ['demand', 'step'],
    ['supply', 'linear'],
    ['supply', 'step'],
  ] as const)('of %s/%s curves equals brute force at any price', (side, interpolation) => {
    fc.assert(
      fc.property(
        fc.array(bidCurveOf([side], [interpolation]), { minLength: 1, maxLength: 10 }),
        fc.array(fc.double({ min: -1.2, max: 1.2, noNaN: true }), { maxLength: 20 }),
        (curves, prices) => {
          const sum = sumCurvesExact(curves);
          if (!sum.ok) throw sum.error;
          // Every breakpoint and a few random prices, where step curves are the most delicate.
          for (const price of [...prices, ...sum.value.points.map((p) => p.price)]) {
            let brute = 0;
            for (const curve of curves) brute += quantityAt(curve, price);
            expect(closeTo(quantityAt(sum.value, price), brute, 1000)).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  it('refuses mixed sides and no curves', () => {
    const demand: BidCurve = { side: 'demand', interpolation: 'linear', points: [{ price: 0, quantity: 1 }] };
    const mixed = sumCurvesExact([demand, { ...demand, side: 'supply' }]);
    expect(!mixed.ok && mixed.error.path).toBe('curves[1]');
    expect(sumCurvesExact([]).ok).toBe(false);
  });
});

describe('PowerMatcher hierarchy', () => {
  it('devices → homes → feeder gives the same price and the same device quantities as flat aggregation', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(bidCurve, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 }),
        (homes) => {
          const basis = basisOf(201);
          const devices = homes.flat();
          const flat = aggregate(devices, basis);
          const feeder = aggregate(
            homes.map((home) => aggregate(home, basis)),
            basis,
          );
          const flatPrice = intersectNetDemand(flat.demandKw, basis);
          const treePrice = intersectNetDemand(feeder.demandKw, basis);
          expect(treePrice.kind).toBe(flatPrice.kind);
          expect(treePrice.price).toBeCloseTo(flatPrice.price, 9);
          // The price handed down the tree reaches each device as it would reach it directly.
          const down = leafDemandsAt(feeder, treePrice.price);
          const direct = leafDemandsAt(flat, treePrice.price);
          expect(down.leaves).toEqual(devices);
          for (let i = 0; i < devices.length; i++)
            expect(down.demandKw[i]).toBeCloseTo(direct.demandKw[i] ?? NaN, 9);
          // And each home's share is the sum of its devices'.
          const perHome = disaggregate(feeder, treePrice.price);
          let device = 0;
          homes.forEach((home, h) => {
            let sum = 0;
            for (let d = 0; d < home.length; d++) sum += down.demandKw[device++] ?? NaN;
            expect(perHome[h]).toBeCloseTo(sum, 9);
          });
        },
      ),
      { numRuns: 100 },
    );
  });
});
