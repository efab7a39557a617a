import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { ok } from '../core/result.js';
import { validateColumnarBook } from './book-validation.js';
import { findClearingPoint } from './clearing-point.js';
import type { SortedCurve } from './sorted-curve.js';
import { demandCurve, priceAt, quantityAt, supplyCurve } from './sorted-curve.js';
import type { ClearingOutcome, ColumnarBook } from './types.js';

/**
 * Clears a book with the uniform-price double auction (specs/double-auction.md). Invalid input throws the
 * coded error; use `tryClearUniformPriceAuction` where bad input is part of normal handling.
 */
export function clearUniformPriceAuction(book: ColumnarBook): ClearingOutcome {
  const checked = tryClearUniformPriceAuction(book);
  if (!checked.ok) throw checked.error;
  return checked.value;
}

export function tryClearUniformPriceAuction(book: ColumnarBook): Result<ClearingOutcome, TeError> {
  const validated = validateColumnarBook(book);
  if (!validated.ok) return validated;
  return ok(clearValidatedBook(book));
}

function clearValidatedBook(book: ColumnarBook): ClearingOutcome {
  const buys = demandCurve(book.buyPrices, book.buyQuantities, book.priceCap);
  const sells = supplyCurve(book.sellPrices, book.sellQuantities, book.priceCap);
  const point = findClearingPoint(buys, sells, book.priceCap, book.bidOffset);
  const { price, quantity, clearingType } = point;

  let marginalQuantity = 0;
  if (clearingType === 'marginal-buyer') marginalQuantity = quantity - quantityBetterThan(buys, price, 1);
  else if (clearingType === 'marginal-seller')
    marginalQuantity = quantity - quantityBetterThan(sells, price, -1);

  // Both sides trade the same amount. The walk's quantity is normally available at or better than the
  // price on both sides; only when the bidOffset nudge moves the price past bids the walk matched (bids
  // closer together than the offset) is less available, and then only what is available trades.
  const tradedQuantity =
    quantity > 0
      ? Math.min(quantity, quantityAtOrBetter(buys, price, 1), quantityAtOrBetter(sells, price, -1))
      : 0;
  return {
    price,
    quantity,
    clearingType,
    marginalQuantity,
    tradedQuantity,
    buyServed: serve(buys, price, 1, tradedQuantity),
    sellServed: serve(sells, price, -1, tradedQuantity),
  };
}

/**
 * `direction` is +1 for buys (better = higher price) and -1 for sells (better = lower price), so one walk
 * over the curve serves both sides.
 */
type Direction = 1 | -1;

/** Sum of the quantities priced strictly better than `price`, summed first and then used, as GridLAB-D does. */
function quantityBetterThan(curve: SortedCurve, price: number, direction: Direction): number {
  let total = 0;
  for (let rank = 0; rank < curve.count && (priceAt(curve, rank) - price) * direction > 0; rank++) {
    total += quantityAt(curve, rank);
  }
  return total;
}

function quantityAtOrBetter(curve: SortedCurve, price: number, direction: Direction): number {
  let total = 0;
  for (let rank = 0; rank < curve.count && (priceAt(curve, rank) - price) * direction >= 0; rank++) {
    total += quantityAt(curve, rank);
  }
  return total;
}

/**
 * Serves the bids at or better than the price in curve order until `tradedQuantity` is reached: bids
 * strictly better than the price are served in full (their total never exceeds the walk's quantity except
 * when unresponsive bids fail the market, where the curve order decides), bids at the price in curve order,
 * the last one possibly in part.
 */
function serve(
  curve: SortedCurve,
  price: number,
  direction: Direction,
  tradedQuantity: number,
): Float64Array {
  const served = new Float64Array(curve.count);
  let remaining = tradedQuantity;
  for (let rank = 0; rank < curve.count && remaining > 0; rank++) {
    const index = curve.order[rank] as number;
    if (((curve.prices[index] as number) - price) * direction < 0) break;
    const bidQuantity = curve.quantities[index] as number;
    if (bidQuantity >= remaining) {
      served[index] = remaining;
      remaining = 0;
    } else {
      served[index] = bidQuantity;
      remaining -= bidQuantity;
    }
  }
  return served;
}
