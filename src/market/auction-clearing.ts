import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { ok } from '../core/result.js';
import { parseAuctionBook, toColumnarBook } from './auction-book.js';
import type { SlotOrderBook } from './order-book.js';
import { tryClearUniformPriceAuction } from './uniform-price-auction.js';
import type { AuctionClearing, ClearingOutcome, Side, Trade } from './types.js';

/**
 * Clears a book in the golden-case JSON format (already parsed) with the uniform-price double auction.
 * Bad input comes back as a coded error naming the field, never as a throw.
 */
export function clearAuctionBook(input: unknown): Result<AuctionClearing, TeError> {
  const book = parseAuctionBook(input);
  if (!book.ok) return book;
  const outcome = tryClearUniformPriceAuction(toColumnarBook(book.value));
  if (!outcome.ok) return outcome;
  return ok(
    toAuctionClearing(
      outcome.value,
      book.value.buys.map((bid) => bid.bidder),
      book.value.sells.map((bid) => bid.bidder),
    ),
  );
}

/** The object form of a columnar outcome; `buyBidders[i]` names the bidder of buy i, when known. */
export function toAuctionClearing(
  outcome: ClearingOutcome,
  buyBidders: readonly (string | undefined)[] = [],
  sellBidders: readonly (string | undefined)[] = [],
): AuctionClearing {
  const trades: Trade[] = [];
  collectTrades(trades, 'buy', outcome.buyServed, buyBidders, outcome.price);
  collectTrades(trades, 'sell', outcome.sellServed, sellBidders, outcome.price);
  return {
    price: outcome.price,
    quantity: outcome.quantity,
    clearingType: outcome.clearingType,
    marginalQuantity: outcome.marginalQuantity,
    trades,
  };
}

function collectTrades(
  trades: Trade[],
  side: Side,
  served: Float64Array,
  bidders: readonly (string | undefined)[],
  price: number,
): void {
  for (let index = 0; index < served.length; index++) {
    const quantity = served[index] as number;
    if (quantity <= 0) continue;
    const bidder = bidders[index];
    trades.push(
      bidder === undefined ? { side, index, price, quantity } : { side, index, bidder, price, quantity },
    );
  }
}

/** Clears a slot's order book with the uniform-price double auction; trades name the bidders. */
export function clearSlotOrderBook(book: SlotOrderBook): Result<AuctionClearing, TeError> {
  const { book: columns, buyBidders, sellBidders } = book.snapshot();
  const outcome = tryClearUniformPriceAuction(columns);
  if (!outcome.ok) return outcome;
  return ok(toAuctionClearing(outcome.value, buyBidders, sellBidders));
}
