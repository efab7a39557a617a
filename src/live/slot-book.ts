/**
 * A continuous market's order book for one live slot, by price level: the slot's steps (slot-steps.ts)
 * go through a fresh ContinuousOrderBook in time priority, exactly as the continuous double auction
 * submits them at gate closure (continuous-double-auction.ts: a buy at or above the cap and a sell at or
 * below −cap are market orders). The live platform keeps orders until the gate and matches them then,
 * so before the gate this is the book as it would stand if the gate closed now (an order replaced or
 * cancelled before the gate changes it); after clearing it is what rested unmatched.
 */
import { ContinuousOrderBook, type DepthLevel } from '../market/continuous/index.js';
import type { SlotBookSteps } from './slot-steps.js';

export interface SlotBookDepth {
  readonly bids: DepthLevel[];
  readonly asks: DepthLevel[];
  readonly tradeCount: number;
  /** Price of the last trade the replay made, NaN when none. */
  readonly lastTradePrice: number;
}

export function slotBookDepth(steps: SlotBookSteps, priceCap: number, maxLevels: number): SlotBookDepth {
  let lastTradePrice = Number.NaN;
  const book = new ContinuousOrderBook({
    priceCap,
    initialCapacity: Math.max(16, steps.count),
    events: {
      trade(_sequence, _buy, _sell, _aggressor, price) {
        lastTradePrice = price;
      },
    },
  });
  for (let i = 0; i < steps.count; i++) {
    const quantity = steps.quantity[i] as number;
    if (!(quantity > 0)) continue;
    const side = steps.side[i] as 'buy' | 'sell';
    const price = Math.min(steps.price[i] as number, priceCap);
    const market = side === 'buy' ? price >= priceCap : price <= -priceCap;
    // Steps are validated against the cap (slot-steps.ts), so the book accepts every one.
    book.submit({
      side,
      type: market ? 'market' : 'limit',
      price,
      quantity,
      participant: steps.participant[i] as number,
    });
  }
  return {
    bids: book.depth('buy', maxLevels),
    asks: book.depth('sell', maxLevels),
    tradeCount: book.tradeCount,
    lastTradePrice,
  };
}
