/**
 * What a continuous book tells the caller as it works: each match as a trade, and each quantity that
 * leaves the book without trading. Positional arguments rather than event objects, so the matching
 * loop allocates nothing; `TradeRecorder` keeps them in columns for callers that want a list.
 */
import type { Side } from '../types.js';

export type RemovalReason =
  /** The unfilled remainder of a market order (market orders never rest). */
  | 'market-remainder'
  /** A resting order of the incoming order's own participant, cancelled instead of trading. */
  | 'self-trade'
  | 'cancel'
  /** The open quantity a replace took away (all of it when the order re-entered the book). */
  | 'replace';

export interface BookEvents {
  trade(
    /** 1, 2, 3, ... per book: the order trades happened in. */
    sequence: number,
    buyOrderId: number,
    sellOrderId: number,
    /** The side of the incoming order that took liquidity. */
    aggressor: Side,
    /** Energy price per kWh the seller receives: the resting order's price. */
    price: number,
    quantity: number,
    /** Grid fee per kWh the buyer pays on top (0 when the book has no fees). */
    feePerKwh: number,
  ): void;
  removed?(orderId: number, quantity: number, reason: RemovalReason): void;
}

export interface TradeEvent {
  readonly sequence: number;
  readonly buyOrderId: number;
  readonly sellOrderId: number;
  readonly aggressor: Side;
  readonly price: number;
  readonly quantity: number;
  readonly feePerKwh: number;
}

/** Collects trades in growable typed columns. */
export class TradeRecorder implements BookEvents {
  count = 0;
  sequence = new Float64Array(1024);
  buyOrderId = new Float64Array(1024);
  sellOrderId = new Float64Array(1024);
  /** 0 buy, 1 sell. */
  aggressor = new Uint8Array(1024);
  price = new Float64Array(1024);
  quantity = new Float64Array(1024);
  feePerKwh = new Float64Array(1024);

  trade(
    sequence: number,
    buyOrderId: number,
    sellOrderId: number,
    aggressor: Side,
    price: number,
    quantity: number,
    feePerKwh: number,
  ): void {
    if (this.count === this.price.length) this.grow();
    const i = this.count++;
    this.sequence[i] = sequence;
    this.buyOrderId[i] = buyOrderId;
    this.sellOrderId[i] = sellOrderId;
    this.aggressor[i] = aggressor === 'buy' ? 0 : 1;
    this.price[i] = price;
    this.quantity[i] = quantity;
    this.feePerKwh[i] = feePerKwh;
  }

  clear(): void {
    this.count = 0;
  }

  toArray(): TradeEvent[] {
    return Array.from({ length: this.count }, (_, i) => ({
      sequence: this.sequence[i] as number,
      buyOrderId: this.buyOrderId[i] as number,
      sellOrderId: this.sellOrderId[i] as number,
      aggressor: this.aggressor[i] === 0 ? ('buy' as const) : ('sell' as const),
      price: this.price[i] as number,
      quantity: this.quantity[i] as number,
      feePerKwh: this.feePerKwh[i] as number,
    }));
  }

  private grow(): void {
    const size = this.price.length * 2;
    const grown = <T extends Float64Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.sequence = grown(this.sequence, new Float64Array(size));
    this.buyOrderId = grown(this.buyOrderId, new Float64Array(size));
    this.sellOrderId = grown(this.sellOrderId, new Float64Array(size));
    this.aggressor = grown(this.aggressor, new Uint8Array(size));
    this.price = grown(this.price, new Float64Array(size));
    this.quantity = grown(this.quantity, new Float64Array(size));
    this.feePerKwh = grown(this.feePerKwh, new Float64Array(size));
  }
}
