import { TeError } from '../core/errors.js';
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

/** Steps a single order may hold; a device's bid curve needs a handful, a hostile one millions. */
export const MAX_STEPS_PER_ORDER = 1000;

/**
 * The book of one side: one bid curve (a list of steps) per bidder, with tombstones for cancelled bids so
 * re-bids keep their place cheaply.
 */
class SideBook {
  private readonly curves: (readonly PriceQuantity[] | null)[] = [];
  private readonly bidders: string[] = [];
  private readonly positionOf = new Map<string, number>();
  private stepCount = 0;

  get size(): number {
    return this.positionOf.size;
  }

  /** A re-bid overwrites the bidder's earlier curve in place; a first bid goes to the end. */
  put(bidder: string, steps: readonly PriceQuantity[]): void {
    const copy = steps.map(({ price, quantity }) => ({ price, quantity }));
    const position = this.positionOf.get(bidder);
    if (position !== undefined) {
      this.stepCount += copy.length - (this.curves[position]?.length ?? 0);
      this.curves[position] = copy;
      return;
    }
    this.positionOf.set(bidder, this.curves.length);
    this.curves.push(copy);
    this.bidders.push(bidder);
    this.stepCount += copy.length;
  }

  remove(bidder: string): boolean {
    const position = this.positionOf.get(bidder);
    if (position === undefined) return false;
    this.positionOf.delete(bidder);
    this.stepCount -= this.curves[position]?.length ?? 0;
    this.curves[position] = null;
    return true;
  }

  /** Live steps in submission order (a curve's steps in the order given), with the bidder of each. */
  columns(): { prices: Float64Array; quantities: Float64Array; bidders: string[] } {
    const prices = new Float64Array(this.stepCount);
    const quantities = new Float64Array(this.stepCount);
    const bidders: string[] = [];
    this.curves.forEach((curve, position) => {
      if (curve === null) return;
      for (const step of curve) {
        prices[bidders.length] = step.price;
        quantities[bidders.length] = step.quantity;
        bidders.push(this.bidders[position] as string);
      }
    });
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
 * The order book of one market slot. Each bidder holds at most one order per side (a battery may both buy
 * and sell); an order is a bid curve: one price/quantity step, or several. A re-bid replaces the bidder's
 * order on that side and takes its place in submission order, so the old one no longer counts (spec
 * "Re-bids"); a cancelled order is gone, and a later one from the same bidder counts as new, at the end.
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

  /**
   * Submits or replaces `bidder`'s order on `side`: one step or a curve of steps. An invalid order is
   * refused whole and the book is unchanged.
   */
  submit(bidder: string, side: Side, order: PriceQuantity | readonly PriceQuantity[]): Result<void, TeError> {
    const steps: readonly PriceQuantity[] = isCurve(order) ? order : [order];
    const where = `${side}s[bidder=${bidder}]`;
    if (steps.length === 0 || steps.length > MAX_STEPS_PER_ORDER) {
      return err(
        new TeError(
          'TE_ERR_VALIDATION',
          `an order needs 1 to ${MAX_STEPS_PER_ORDER} steps, got ${steps.length}`,
          {
            path: where,
            hint: 'cancel an order instead of sending an empty curve; merge steps at equal prices',
          },
        ),
      );
    }
    for (let k = 0; k < steps.length; k++) {
      const step = steps[k] as PriceQuantity;
      const stepWhere = steps.length === 1 ? where : `${where}.steps[${k}]`;
      const bidError = validateBid(stepWhere, side, step.price, step.quantity, this.priceCap);
      if (bidError !== undefined) return err(bidError);
    }
    this.sides[side].put(bidder, steps);
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

function isCurve(order: PriceQuantity | readonly PriceQuantity[]): order is readonly PriceQuantity[] {
  return Array.isArray(order);
}
