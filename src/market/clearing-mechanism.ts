import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { ok } from '../core/result.js';
import { toAuctionClearing } from './auction-clearing.js';
import type { SlotOrderBook } from './order-book.js';
import type { AuctionClearing } from './types.js';
import { tryClearUniformPriceAuction } from './uniform-price-auction.js';

/**
 * A way to clear one market slot. The engine holds the mechanism a scenario chose and calls it at gate
 * closure; uniform-price double auction is the first, pay-as-bid, continuous double auction and P2P
 * matching plug in here later. Trades name the bidders from the order book.
 */
export interface ClearingMechanism {
  readonly name: string;
  clear(book: SlotOrderBook): Result<AuctionClearing, TeError>;
}

/** GridLAB-D's uniform-price double auction (specs/double-auction.md). */
export const uniformPriceDoubleAuction: ClearingMechanism = {
  name: 'uniform-price-double-auction',
  clear(book: SlotOrderBook): Result<AuctionClearing, TeError> {
    const { book: columns, buyBidders, sellBidders } = book.snapshot();
    const outcome = tryClearUniformPriceAuction(columns);
    if (!outcome.ok) return outcome;
    return ok(toAuctionClearing(outcome.value, buyBidders, sellBidders));
  },
};
