/**
 * Gathers one slot's bids into the columnar book the clearing mechanism reads, remembering which device
 * owns each row so awards can be handed back. Buffers are reused from slot to slot: a 10,000-home
 * community submits tens of thousands of bids every five minutes.
 */
import type { ColumnarBook } from '../market/types.js';

/** Owner index used for bids the engine submits itself (supplier, unresponsive load). */
export const ENGINE_OWNER = -1;

class GrowableSide {
  prices = new Float64Array(1024);
  quantities = new Float64Array(1024);
  owners = new Int32Array(1024);
  length = 0;

  push(price: number, quantity: number, owner: number): void {
    if (this.length === this.prices.length) this.grow();
    this.prices[this.length] = price;
    this.quantities[this.length] = quantity;
    this.owners[this.length] = owner;
    this.length++;
  }

  private grow(): void {
    const size = this.prices.length * 2;
    const prices = new Float64Array(size);
    prices.set(this.prices);
    const quantities = new Float64Array(size);
    quantities.set(this.quantities);
    const owners = new Int32Array(size);
    owners.set(this.owners);
    this.prices = prices;
    this.quantities = quantities;
    this.owners = owners;
  }
}

export class BidCollector {
  readonly buys = new GrowableSide();
  readonly sells = new GrowableSide();

  reset(): void {
    this.buys.length = 0;
    this.sells.length = 0;
  }

  add(side: 'buy' | 'sell', price: number, quantity: number, owner: number): void {
    if (!(quantity > 0)) return; // a zero or invalid quantity offers nothing
    (side === 'buy' ? this.buys : this.sells).push(price, quantity, owner);
  }

  /** Views over the current bids; valid until the next reset. */
  book(priceCap: number, bidOffset: number): ColumnarBook {
    return {
      priceCap,
      bidOffset,
      buyPrices: this.buys.prices.subarray(0, this.buys.length),
      buyQuantities: this.buys.quantities.subarray(0, this.buys.length),
      sellPrices: this.sells.prices.subarray(0, this.sells.length),
      sellQuantities: this.sells.quantities.subarray(0, this.sells.length),
    };
  }
}
