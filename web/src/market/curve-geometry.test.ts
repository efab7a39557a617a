import { describe, expect, it } from 'vitest';
import {
  clearingPoint,
  curveDomain,
  hitTest,
  marginalStep,
  niceTicks,
  placeSteps,
  scalesFor,
  stepPath,
  type Plot,
} from './curve-geometry';

const PLOT: Plot = { width: 500, height: 300, left: 50, right: 10, top: 10, bottom: 40 };
const SUPPLY = [
  { pricePerKwh: 0.05, quantityKw: 20 },
  { pricePerKwh: 0.08, quantityKw: 30 },
  { pricePerKwh: 0.12, quantityKw: 50 },
];
const DEMAND = [
  { pricePerKwh: 0.2, quantityKw: 10 },
  { pricePerKwh: 0.1, quantityKw: 30 },
  { pricePerKwh: 0.02, quantityKw: 40 },
];

describe('supply and demand curve geometry', () => {
  it('lays steps end to end in merit order', () => {
    const placed = placeSteps(SUPPLY, 'supply');
    expect(placed.map((s) => [s.fromKw, s.toKw])).toEqual([
      [0, 20],
      [20, 50],
      [50, 100],
    ]);
    expect(placed.every((s) => s.side === 'supply')).toBe(true);
    expect(placeSteps([{ pricePerKwh: 1, quantityKw: -3 }], 'demand')[0]?.toKw).toBe(0);
  });

  it('covers both curves and the clearing point, from zero price when all are positive', () => {
    const domain = curveDomain(placeSteps(SUPPLY, 'supply'), placeSteps(DEMAND, 'demand'), {
      pricePerKwh: 0.08,
      quantityKw: 40,
    });
    expect(domain.maxKw).toBeCloseTo(105);
    expect(domain.minPrice).toBe(0);
    expect(domain.maxPrice).toBeGreaterThan(0.2);
    const substation = curveDomain(
      placeSteps([{ pricePerKwh: 0.03, quantityKw: 1500 }], 'supply'),
      placeSteps(
        [
          { pricePerKwh: 1, quantityKw: 40 },
          { pricePerKwh: 0.07, quantityKw: 30 },
        ],
        'demand',
      ),
      { pricePerKwh: 0.03, quantityKw: 70 },
      1,
    );
    expect(substation.maxKw).toBeCloseTo(91);
    expect(substation.truncatedAtKw).toBe(1500);
    expect(substation.cappedSteps).toBe(true);
    expect(substation.maxPrice).toBeCloseTo(0.07 * 1.08);
    const negative = curveDomain(placeSteps([{ pricePerKwh: -0.05, quantityKw: 5 }], 'supply'), []);
    expect(negative.minPrice).toBeLessThan(-0.05);
    expect(curveDomain([], []).maxKw).toBe(1);
  });

  it('maps quantity and price to pixels and back', () => {
    const scales = scalesFor(PLOT, { maxKw: 100, minPrice: 0, maxPrice: 0.25 });
    expect(scales.x(0)).toBe(50);
    expect(scales.x(100)).toBe(490);
    expect(scales.y(0)).toBe(260);
    expect(scales.y(0.25)).toBe(10);
    expect(scales.quantityAt(scales.x(37))).toBeCloseTo(37);
    expect(scales.priceAt(scales.y(0.11))).toBeCloseTo(0.11);
    expect(scales.y(5)).toBe(10);
    expect(scales.y(-5)).toBe(260);
  });

  it('draws a stepped path: along each step, then up or down to the next', () => {
    const scales = scalesFor(PLOT, { maxKw: 100, minPrice: 0, maxPrice: 0.25 });
    const path = stepPath(placeSteps(SUPPLY, 'supply'), scales);
    expect(path).toBe('M50,210V210H138V180H270V140H490');
    expect(stepPath([], scales)).toBe('');
  });

  it('places the clearing point, clamped inside the plot', () => {
    const scales = scalesFor(PLOT, { maxKw: 100, minPrice: 0, maxPrice: 0.25 });
    expect(clearingPoint({ pricePerKwh: 0.1, quantityKw: 40 }, scales, PLOT)).toEqual({ x: 226, y: 160 });
    expect(clearingPoint({ pricePerKwh: 9, quantityKw: 400 }, scales, PLOT)).toEqual({ x: 490, y: 10 });
  });

  it('finds the marginal step by side and price', () => {
    const supply = placeSteps(SUPPLY, 'supply');
    const demand = placeSteps(DEMAND, 'demand');
    expect(marginalStep(supply, demand, { side: 'supply', pricePerKwh: 0.08 })?.index).toBe(1);
    expect(marginalStep(supply, demand, { side: 'demand', pricePerKwh: 0.1 })?.side).toBe('demand');
    expect(marginalStep(supply, demand, { side: 'supply', pricePerKwh: 0.09 })).toBeUndefined();
    expect(marginalStep(supply, demand, undefined)).toBeUndefined();
  });

  it('hit-tests the step nearest the pointer among both curves', () => {
    const scales = scalesFor(PLOT, { maxKw: 100, minPrice: 0, maxPrice: 0.25 });
    const steps = [...placeSteps(SUPPLY, 'supply'), ...placeSteps(DEMAND, 'demand')];
    const onSupply = hitTest(steps, scales, scales.x(30), scales.y(0.08) + 3);
    expect([onSupply?.side, onSupply?.index]).toEqual(['supply', 1]);
    const onDemand = hitTest(steps, scales, scales.x(30), scales.y(0.1) - 2);
    expect([onDemand?.side, onDemand?.index]).toEqual(['demand', 1]);
    expect(hitTest(steps, scales, scales.x(30), scales.y(0.2))).toBeUndefined();
  });

  it('chooses round ticks', () => {
    expect(niceTicks(0, 0.25, 5)).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25]);
    expect(niceTicks(0, 105, 4)).toEqual([0, 50, 100]);
    expect(niceTicks(-0.1, 0.1, 4)).toEqual([-0.1, -0.05, 0, 0.05, 0.1]);
    expect(niceTicks(3, 3)).toEqual([3]);
  });
});
