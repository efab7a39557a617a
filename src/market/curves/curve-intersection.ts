/**
 * Clearing at the intersection on the basis: the price where aggregate net demand (demand − supply)
 * crosses zero, found by interpolating between the two basis steps around the sign change.
 */
import { basisPrice, type MarketBasis } from './market-basis.js';

export type IntersectionKind = 'crossed' | 'demand-exceeds-supply' | 'supply-exceeds-demand';

export interface Intersection {
  /** The equilibrium price, currency/kWh. */
  readonly price: number;
  /**
   * 'crossed' when net demand reaches zero within the range; otherwise the curves never cross and the price
   * sits at the cap end: maxPrice when demand exceeds supply even there, minPrice when supply exceeds
   * demand even there.
   */
  readonly kind: IntersectionKind;
  /** Net demand left at the price (kW): + demand unmet (shortfall), − supply unsold; 0 when crossed. */
  readonly imbalanceKw: number;
}

/**
 * Net demand is non-increasing in price. Values within `toleranceKw` of zero count as zero, so sums that
 * cancel up to rounding give the same price whatever order they were added in; the default is a billionth
 * of the largest magnitude. Where net demand is zero over a range of steps (flat segment on the axis),
 * the price is the middle of that range — neither side is favoured.
 */
export function intersectNetDemand(
  netDemandKw: Float64Array,
  basis: MarketBasis,
  toleranceKw = 1e-9 * Math.max(Math.abs(netDemandKw[0] ?? 0), Math.abs(netDemandKw[basis.steps - 1] ?? 0)),
): Intersection {
  const last = basis.steps - 1;
  const value = (k: number) => {
    const v = netDemandKw[k] as number;
    return Math.abs(v) <= toleranceKw ? 0 : v;
  };
  // First step where net demand is ≤ 0 and last step where it is ≥ 0.
  let firstNotPositive = -1;
  for (let k = 0; k <= last; k++) {
    if (value(k) <= 0) {
      firstNotPositive = k;
      break;
    }
  }
  if (firstNotPositive === -1) {
    return { price: basis.maxPrice, kind: 'demand-exceeds-supply', imbalanceKw: netDemandKw[last] as number };
  }
  if (firstNotPositive === 0 && value(0) < 0) {
    return { price: basis.minPrice, kind: 'supply-exceeds-demand', imbalanceKw: netDemandKw[0] as number };
  }
  if (value(firstNotPositive) === 0) {
    let lastZero = firstNotPositive;
    while (lastZero < last && value(lastZero + 1) === 0) lastZero++;
    const price = (basisPrice(basis, firstNotPositive) + basisPrice(basis, lastZero)) / 2;
    return { price, kind: 'crossed', imbalanceKw: 0 };
  }
  // value(k - 1) > 0 > value(k): the zero lies strictly between the two steps.
  const k = firstNotPositive;
  const above = value(k - 1);
  const below = value(k);
  const low = basisPrice(basis, k - 1);
  const high = basisPrice(basis, k);
  const price = low + ((high - low) * above) / (above - below);
  return { price: Math.min(high, Math.max(low, price)), kind: 'crossed', imbalanceKw: 0 };
}

/** Net demand (kW) from an aggregated demand array and an aggregated supply array given as production (+). */
export function netDemandOf(demandKw: Float64Array, supplyKw: Float64Array): Float64Array {
  return Float64Array.from(demandKw, (demand, k) => demand - (supplyKw[k] ?? 0));
}
