/**
 * The one interface every market design implements (uniform-price and pay-as-bid auctions, continuous
 * double auction, P2P matching, aggregator portfolios, grid-aware clearing). One contract suite
 * (`mechanism-contract.ts`) runs against all of them.
 *
 * A mechanism reads one slot's `OrderTable` and returns, per row, how much traded and at what energy
 * price, plus the grid fee per kWh the row's buyer pays on top. Sellers receive `price`; buyers pay
 * `price + feePerKwh`; the fees go to the areas crossed. Where trades have counterparties (P2P, CDA)
 * they are listed as well.
 */
import type { TeError } from '../../core/errors.js';
import type { Result } from '../../core/result.js';
import type { TimeSlot } from '../../core/time.js';
import type { AreaTree } from './area-tree.js';
import type { OrderTable } from './order-table.js';

export interface ClearingContext {
  readonly slot: TimeSlot;
  /** Largest price magnitude accepted; buys at +cap and sells at −cap are must-run. */
  readonly priceCap: number;
  /** GridLAB-D's nudge for prices between the curves. */
  readonly bidOffset: number;
  readonly areas?: AreaTree;
  /**
   * Per participant, what its connection may import and export this slot (kW), from the grid's
   * operating envelopes; grid-aware mechanisms respect them. Absent: no limit.
   */
  readonly envelopes?: { readonly importKw: Float64Array; readonly exportKw: Float64Array };
}

export interface BilateralTrade {
  readonly buyRow: number;
  readonly sellRow: number;
  readonly quantity: number;
  /** Energy price the seller receives. */
  readonly price: number;
  /** Grid fee per kWh the buyer pays on top, summed over the areas crossed. */
  readonly feePerKwh: number;
}

export interface MarketClearing {
  readonly mechanism: string;
  /** Quantity each row traded (≥ 0, ≤ its quantity). */
  readonly filled: Float64Array;
  /** Average energy price of each row's fill (NaN where nothing filled). */
  readonly price: Float64Array;
  /** Average grid fee per kWh on each row's fill: buyers pay it on top of `price`; 0 for sellers. */
  readonly feePerKwh: Float64Array;
  /** The single price every trade cleared at, where the design has one; NaN otherwise. */
  readonly clearingPrice: number;
  /** A short status: the auction's clearing type, 'matched', 'failure', ... */
  readonly status: string;
  readonly trades?: readonly BilateralTrade[];
  /** Price per area where the design prices locations (grid-aware clearing), by area index. */
  readonly areaPrice?: Float64Array;
}

export interface MechanismGuarantees {
  /** Every trade at one price. */
  readonly uniformPrice: boolean;
  /** The result does not depend on the order rows were submitted in (time priority breaks this). */
  readonly orderIndependent: boolean;
}

export interface ClearingMechanism {
  readonly name: string;
  readonly guarantees: MechanismGuarantees;
  clear(table: OrderTable, context: ClearingContext): Result<MarketClearing, TeError>;
}

/** A clearing with nothing traded: the starting point of every mechanism. */
export function emptyClearing(mechanism: string, rows: number, status = 'null'): MarketClearing {
  return {
    mechanism,
    filled: new Float64Array(rows),
    price: new Float64Array(rows).fill(Number.NaN),
    feePerKwh: new Float64Array(rows),
    clearingPrice: Number.NaN,
    status,
  };
}
