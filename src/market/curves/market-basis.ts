/**
 * PowerMatcher's market basis: the price range [min, max] and the number of price steps every curve is
 * sampled on. A curve sampled on the basis is a demand array (Float64Array, one kW value per step, load
 * reference: supply is negative demand), and aggregation is then plain array addition — the fast
 * representation that lets 100,000 device curves be summed in a few milliseconds.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { BidCurve, CurvePoint } from './bid-curve.js';

export interface MarketBasis {
  /** Lowest price on the basis, currency/kWh. */
  readonly minPrice: number;
  /** Highest price on the basis, currency/kWh. */
  readonly maxPrice: number;
  /** Number of sample prices, both ends included (≥ 2): the resolution is (max − min) / (steps − 1). */
  readonly steps: number;
}

export function marketBasis(minPrice: number, maxPrice: number, steps: number): Result<MarketBasis, TeError> {
  if (!Number.isFinite(minPrice) || !Number.isFinite(maxPrice)) {
    return err(
      new TeError('TE_ERR_NOT_FINITE', `the price range is [${minPrice}, ${maxPrice}]`, {
        path: Number.isFinite(minPrice) ? 'maxPrice' : 'minPrice',
        hint: 'give finite prices, such as the market price cap −cap and +cap',
      }),
    );
  }
  if (!(maxPrice > minPrice)) {
    return err(
      new TeError('TE_ERR_VALIDATION', `maxPrice ${maxPrice} is not above minPrice ${minPrice}`, {
        path: 'maxPrice',
        hint: 'give a price range with maxPrice > minPrice',
      }),
    );
  }
  if (!Number.isInteger(steps) || steps < 2) {
    return err(
      new TeError('TE_ERR_VALIDATION', `steps is ${steps}`, {
        path: 'steps',
        hint: 'give a whole number of sample prices ≥ 2, such as 101 or 2001',
      }),
    );
  }
  return ok({ minPrice, maxPrice, steps });
}

/** Price between two neighbouring basis steps, currency/kWh. */
export function basisResolution(basis: MarketBasis): number {
  return (basis.maxPrice - basis.minPrice) / (basis.steps - 1);
}

/** The price of step `k`; the last step is exactly maxPrice. */
export function basisPrice(basis: MarketBasis, k: number): number {
  if (k >= basis.steps - 1) return basis.maxPrice;
  return basis.minPrice + k * basisResolution(basis);
}

/**
 * Adds the curve's net demand (kW: + for demand, − for supply) at every basis price into `target`, walking
 * the points once alongside the basis: O(steps + points), no allocation.
 */
export function addDemandTo(target: Float64Array, curve: BidCurve, basis: MarketBasis): void {
  const points = curve.points;
  const count = points.length;
  if (count === 0) return;
  const sign = curve.side === 'demand' ? 1 : -1;
  const step = curve.interpolation === 'step';
  const resolution = basisResolution(basis);
  const last = basis.steps - 1;
  const firstQuantity = (points[0] as CurvePoint).quantity;
  const lastQuantity = (points[count - 1] as CurvePoint).quantity;
  // `next` is the first point priced above the current basis price.
  let next = 0;
  for (let k = 0; k <= last; k++) {
    const price = k === last ? basis.maxPrice : basis.minPrice + k * resolution;
    while (next < count && (points[next] as CurvePoint).price <= price) next++;
    let quantity: number;
    if (next === 0) quantity = firstQuantity;
    else if (next === count) quantity = lastQuantity;
    else {
      const left = points[next - 1] as CurvePoint;
      const right = points[next] as CurvePoint;
      if (price === left.price) quantity = left.quantity;
      else if (step) quantity = left.quantity < right.quantity ? left.quantity : right.quantity;
      else
        quantity =
          left.quantity +
          ((price - left.price) / (right.price - left.price)) * (right.quantity - left.quantity);
    }
    target[k] = (target[k] as number) + sign * quantity;
  }
}

/** The curve as a demand array on the basis (kW, + consumption, − production). */
export function demandArray(curve: BidCurve, basis: MarketBasis): Float64Array {
  const target = new Float64Array(basis.steps);
  addDemandTo(target, curve, basis);
  return target;
}

/** A demand array's value at any price in the range, interpolating linearly between basis steps. */
export function demandAtPrice(demandKw: Float64Array, basis: MarketBasis, price: number): number {
  const last = basis.steps - 1;
  if (price <= basis.minPrice) return demandKw[0] ?? 0;
  if (price >= basis.maxPrice) return demandKw[last] ?? 0;
  const position = (price - basis.minPrice) / basisResolution(basis);
  const k = Math.min(Math.floor(position), last - 1);
  const share = position - k;
  const low = demandKw[k] ?? 0;
  const high = demandKw[k + 1] ?? 0;
  return share === 0 ? low : low + share * (high - low);
}
