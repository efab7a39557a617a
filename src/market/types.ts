/**
 * Market vocabulary shared by every clearing mechanism. Quantities are positive on both sides; the side
 * says which way energy flows. Price and quantity units are the market's (the engine uses price per kWh
 * in the scenario currency and average power in kW over the slot).
 */
export type Side = 'buy' | 'sell';

/** One step of a bid curve: willing to buy (or sell) `quantity` at `price` or better. */
export interface PriceQuantity {
  readonly price: number;
  readonly quantity: number;
}

/** GridLAB-D's clearing types (enum values 0 to 5), spelled as in the golden cases. */
export type ClearingType =
  'null' | 'marginal-seller' | 'marginal-buyer' | 'marginal-price' | 'exact' | 'failure';

export const CLEARING_TYPES: readonly ClearingType[] = [
  'null',
  'marginal-seller',
  'marginal-buyer',
  'marginal-price',
  'exact',
  'failure',
];

/**
 * A book in columnar form: the fast path for large books and the engine. Index i of the buy columns is
 * the i-th buy in submission order; the same for sells.
 */
export interface ColumnarBook {
  readonly priceCap: number;
  readonly bidOffset: number;
  readonly buyPrices: Float64Array;
  readonly buyQuantities: Float64Array;
  readonly sellPrices: Float64Array;
  readonly sellQuantities: Float64Array;
}

export interface ClearingOutcome {
  readonly price: number;
  readonly quantity: number;
  readonly clearingType: ClearingType;
  readonly marginalQuantity: number;
  /**
   * Quantity actually traded: the sum of `buyServed`, equal to the sum of `sellServed`. It equals
   * `quantity` except in a rare corner where the `bidOffset` nudge moves the price past bids the curve walk
   * had matched (bids closer together than `bidOffset`); then only bids at or better than the price trade.
   */
  readonly tradedQuantity: number;
  /** Quantity served to each buy, by submission index (0 for unserved). */
  readonly buyServed: Float64Array;
  /** Quantity served to each sell, by submission index. */
  readonly sellServed: Float64Array;
}

/** One served bid: who trades how much at what price. `index` is the bid's submission index on its side. */
export interface Trade {
  readonly side: Side;
  readonly index: number;
  readonly bidder?: string;
  readonly price: number;
  readonly quantity: number;
}

/** A clearing in object form, for APIs and the CLI. Trades list the buys, then the sells, by index. */
export interface AuctionClearing {
  readonly price: number;
  readonly quantity: number;
  readonly clearingType: ClearingType;
  readonly marginalQuantity: number;
  readonly trades: readonly Trade[];
}
