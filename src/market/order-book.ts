import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import {
  DEFAULT_BID_OFFSET,
  DEFAULT_PRICE_CAP,
  validateBid,
  validateMarketParameters,
} from './book-validation.js';
import type { ColumnarBook, PriceQuantity, Side } from './types.js';

export interface OrderBookParameters {
  readonly priceCap?: number;
  readonly bidOffset?: number;
}

/** A live bid in the book, in submission order on its side. */
export interface BookEntry extends PriceQuantity {
  readonly bidder: string;
}

/** The book of one side, with tombstones for cancelled bids so re-bids can keep their place cheaply. */
class SideBook {
  private readonly prices: number[] = [];
  private readonly quantities: number[] = [];
  private readonly bidders: string[] = [];
  private readonly live: boolean[] = [];
  private readonly positionOf = new Map<string, number>();

  get size(): number {
    return this.positionOf.size;
  }

  /** A re-bid overwrites the bidder's earlier bid in place; a first bid goes to the end. */
  put(bidder: string, price: number, quantity: number): void {
    const position = this.positionOf.get(bidder);
    if (position !== undefined) {
      this.prices[position] = price;
      this.quantities[position] = quantity;
      return;
    }
    this.positionOf.set(bidder, this.prices.length);
    this.prices.push(price);
    this.quantities.push(quantity);
    this.bidders.push(bidder);
    this.live.push(true);
  }

  remove(bidder: string): boolean {
    const position = this.positionOf.get(bidder);
    if (position === undefined) return false;
    this.positionOf.delete(bidder);
    this.live[position] = false;
    return true;
  }

  /** Live bids in submission order, as columns plus the bidder of each index. */
  columns(): { prices: Float64Array; quantities: Float64Array; bidders: string[] } {
    const prices = new Float64Array(this.size);
    const quantities = new Float64Array(this.size);
    const bidders: string[] = [];
    for (let position = 0; position < this.prices.length; position++) {
      if (this.live[position] !== true) continue;
      prices[bidders.length] = this.prices[position] as number;
      quantities[bidders.length] = this.quantities[position] as number;
      bidders.push(this.bidders[position] as string);
    }
    return { prices, quantities, bidders };
  }

  entries(): BookEntry[] {
    const { prices, quantities, bidders } = this.columns();
    return bidders.map((bidder, index) => ({
      bidder,
      price: prices[index] as number,
      quantity: quantities[index] as number,
    }));
  }
}

/**
 * The order book of one market slot. Each bidder holds at most one bid per side (a battery may both buy
 * and sell). A re-bid replaces the bidder's bid on that side and takes its place in submission order, so
 * the old bid no longer counts (spec "Re-bids"); a cancelled bid is gone, and a later bid from the same
 * bidder counts as a new submission at the end.
 */
export class SlotOrderBook {
  private readonly sides: Record<Side, SideBook> = { buy: new SideBook(), sell: new SideBook() };

  private constructor(
    readonly priceCap: number,
    readonly bidOffset: number,
  ) {}

  static create(parameters: OrderBookParameters = {}): Result<SlotOrderBook, TeError> {
    const priceCap = parameters.priceCap ?? DEFAULT_PRICE_CAP;
    const bidOffset = parameters.bidOffset ?? DEFAULT_BID_OFFSET;
    const parameterError = validateMarketParameters(priceCap, bidOffset);
    if (parameterError !== undefined) return err(parameterError);
    return ok(new SlotOrderBook(priceCap, bidOffset));
  }

  /** Submits or replaces `bidder`'s bid on `side`. An invalid bid is refused and the book is unchanged. */
  submit(bidder: string, side: Side, bid: PriceQuantity): Result<void, TeError> {
    const where = `${side}s[bidder=${bidder}]`;
    const bidError = validateBid(where, side, bid.price, bid.quantity, this.priceCap);
    if (bidError !== undefined) return err(bidError);
    this.sides[side].put(bidder, bid.price, bid.quantity);
    return ok(undefined);
  }

  /** Withdraws `bidder`'s bid on `side`; false when there was none. */
  cancel(bidder: string, side: Side): boolean {
    return this.sides[side].remove(bidder);
  }

  count(side: Side): number {
    return this.sides[side].size;
  }

  /** Live bids of one side in submission order. */
  bids(side: Side): BookEntry[] {
    return this.sides[side].entries();
  }

  /** The book for the clearing, with the bidder of each submission index. */
  snapshot(): { book: ColumnarBook; buyBidders: string[]; sellBidders: string[] } {
    const buys = this.sides.buy.columns();
    const sells = this.sides.sell.columns();
    return {
      book: {
        priceCap: this.priceCap,
        bidOffset: this.bidOffset,
        buyPrices: buys.prices,
        buyQuantities: buys.quantities,
        sellPrices: sells.prices,
        sellQuantities: sells.quantities,
      },
      buyBidders: buys.bidders,
      sellBidders: sells.bidders,
    };
  }

  toColumnarBook(): ColumnarBook {
    return this.snapshot().book;
  }
}
