import { buyOrder, sellOrder } from './price-order.js';

/**
 * One side of the book in the auction's order: the demand curve (buys) or the supply curve (sells).
 * Columns stay in submission order; `order[k]` is the submission index of the k-th bid on the curve.
 */
export interface SortedCurve {
  readonly count: number;
  /** Prices after the cap: above `priceCap` lowered to it, -0 read as 0. */
  readonly prices: Float64Array;
  readonly quantities: Float64Array;
  readonly order: Uint32Array;
}

export function demandCurve(prices: Float64Array, quantities: Float64Array, priceCap: number): SortedCurve {
  const capped = capPrices(prices, priceCap);
  return { count: capped.length, prices: capped, quantities, order: buyOrder(capped) };
}

export function supplyCurve(prices: Float64Array, quantities: Float64Array, priceCap: number): SortedCurve {
  const capped = capPrices(prices, priceCap);
  return { count: capped.length, prices: capped, quantities, order: sellOrder(capped) };
}

/** Price of the k-th bid on the curve. */
export function priceAt(curve: SortedCurve, rank: number): number {
  return curve.prices[curve.order[rank] as number] as number;
}

export function quantityAt(curve: SortedCurve, rank: number): number {
  return curve.quantities[curve.order[rank] as number] as number;
}

/**
 * Total quantity of the bids at the head of the curve priced exactly `price`, summed in curve order
 * (as GridLAB-D sums, so equality tests against the walked quantity see the same rounding).
 */
export function headQuantityAt(curve: SortedCurve, price: number): number {
  let total = 0;
  for (let rank = 0; rank < curve.count && priceAt(curve, rank) === price; rank++) {
    total += quantityAt(curve, rank);
  }
  return total;
}

function capPrices(prices: Float64Array, priceCap: number): Float64Array {
  const capped = new Float64Array(prices.length);
  for (let index = 0; index < prices.length; index++) {
    const price = prices[index] as number;
    // `+ 0` turns -0 into 0 so the bit-pattern sort sees one zero.
    capped[index] = price > priceCap ? priceCap : price + 0;
  }
  return capped;
}
