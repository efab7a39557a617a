import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BidCurve } from './bid-curve.js';
import { ALLOCATION_QUANTUM_KW, balanceAllocations } from './balanced-allocation.js';
import { aggregateCurves } from './curve-aggregation.js';
import { intersectNetDemand, netDemandOf } from './curve-intersection.js';
import { demandArray, marketBasis, type MarketBasis } from './market-basis.js';

const basisResult = marketBasis(-1, 1, 21); // a step every 0.1
if (!basisResult.ok) throw basisResult.error;
const BASIS: MarketBasis = basisResult.value;

const linear = (side: BidCurve['side'], points: [number, number][]): BidCurve => ({
  side,
  interpolation: 'linear',
  points: points.map(([price, quantity]) => ({ price, quantity })),
});
const step = (side: BidCurve['side'], points: [number, number][]): BidCurve => ({
  ...linear(side, points),
  interpolation: 'step',
});

function clear(...curves: BidCurve[]) {
  const aggregate = aggregateCurves(curves, BASIS);
  if (!aggregate.ok) throw aggregate.error;
  return intersectNetDemand(aggregate.value.demandKw, BASIS);
}

describe('intersectNetDemand', () => {
  it('finds a crossing on a basis step', () => {
    const result = clear(
      linear('demand', [
        [0, 10],
        [0.6, 0],
      ]),
      linear('supply', [
        [0, 0],
        [0.6, 10],
      ]),
    );
    expect(result.kind).toBe('crossed');
    expect(result.price).toBeCloseTo(0.3, 12);
  });

  it('interpolates a crossing between basis steps', () => {
    const result = clear(
      linear('demand', [
        [0, 10],
        [0.5, 0],
      ]),
      linear('supply', [
        [0, 0],
        [0.5, 10],
      ]),
    );
    expect(result.price).toBeCloseTo(0.25, 12);
    expect(result.imbalanceKw).toBe(0);
  });

  it('takes the middle of a flat segment on the axis', () => {
    // 5 kW wanted up to 0.45, 5 kW offered from 0.15: any price in between clears.
    const result = clear(
      step('demand', [
        [0.45, 5],
        [1, 0],
      ]),
      step('supply', [
        [-1, 0],
        [0.15, 5],
      ]),
    );
    expect(result.kind).toBe('crossed');
    expect(result.price).toBeCloseTo(0.3, 12);
  });

  it('puts the price at the top of the range, with the shortfall, when demand always exceeds supply', () => {
    const result = clear(
      linear('demand', [[0, 10]]),
      linear('supply', [
        [0, 1],
        [1, 4],
      ]),
    );
    expect(result).toMatchObject({ price: 1, kind: 'demand-exceeds-supply' });
    expect(result.imbalanceKw).toBeCloseTo(6, 12);
  });

  it('puts the price at the bottom of the range when supply always exceeds demand', () => {
    const result = clear(
      linear('demand', [
        [-1, 3],
        [1, 0],
      ]),
      linear('supply', [[0, 8]]),
    );
    expect(result).toMatchObject({ price: -1, kind: 'supply-exceeds-demand' });
    expect(result.imbalanceKw).toBeCloseTo(-5, 12);
  });

  it('accepts demand and supply arrays separately', () => {
    const demand = demandArray(
      linear('demand', [
        [0, 10],
        [0.5, 0],
      ]),
      BASIS,
    );
    const supply = demandArray(
      linear('supply', [
        [0, 0],
        [0.5, 10],
      ]),
      BASIS,
    ).map((v) => -v);
    expect(intersectNetDemand(netDemandOf(demand, supply), BASIS).price).toBeCloseTo(0.25, 12);
  });
});

describe('balanceAllocations', () => {
  it('makes bought equal sold exactly, in any summation order, within a quantum of each request', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { maxLength: 40 }), (requests) => {
        const asked = Float64Array.from(requests);
        const { allocatedKw, tradedKw } = balanceAllocations(asked);
        let bought = 0;
        let sold = 0;
        for (const v of allocatedKw) if (v > 0) bought += v;
        for (const v of [...allocatedKw].reverse()) if (v < 0) sold -= v;
        expect(bought).toBe(sold);
        expect(bought).toBe(tradedKw);
        allocatedKw.forEach((v, i) => {
          const a = asked[i] ?? 0;
          expect(v === 0 || Math.sign(v) === Math.sign(a)).toBe(true);
          expect(Math.abs(v)).toBeLessThanOrEqual(Math.abs(a) + ALLOCATION_QUANTUM_KW);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('serves the short side in full and scales the long side pro rata', () => {
    const { allocatedKw, tradedKw, imbalanceKw } = balanceAllocations(Float64Array.from([6, 2, -4]));
    expect(tradedKw).toBe(4);
    expect(Array.from(allocatedKw)).toEqual([3, 1, -4]);
    expect(imbalanceKw).toBe(4);
  });
});
