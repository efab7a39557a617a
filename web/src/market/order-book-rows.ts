/**
 * A continuous market's book as table rows: asks above the spread (dearest first, so the best ask
 * sits next to it), bids below (best first), each with its depth as a share of the deepest level.
 */
import type { BookLevel, OrderBook } from './contracts';

export interface BookRow extends BookLevel {
  readonly side: 'bid' | 'ask';
  /** This level's quantity against the deepest level on either side, 0..1. */
  readonly depthShare: number;
}

export function bookRows(book: OrderBook): { asks: BookRow[]; bids: BookRow[]; spreadPerKwh?: number } {
  const deepestKw = Math.max(0, ...book.bids.map((l) => l.quantityKw), ...book.asks.map((l) => l.quantityKw));
  const row = (level: BookLevel, side: 'bid' | 'ask'): BookRow => ({
    ...level,
    side,
    depthShare: deepestKw > 0 ? Math.max(0, level.quantityKw) / deepestKw : 0,
  });
  const asks = [...book.asks].sort((a, b) => b.pricePerKwh - a.pricePerKwh).map((l) => row(l, 'ask'));
  const bids = [...book.bids].sort((a, b) => b.pricePerKwh - a.pricePerKwh).map((l) => row(l, 'bid'));
  const bestAsk = asks.at(-1)?.pricePerKwh;
  const bestBid = bids[0]?.pricePerKwh;
  return {
    asks,
    bids,
    ...(bestAsk === undefined || bestBid === undefined ? {} : { spreadPerKwh: bestAsk - bestBid }),
  };
}
