/**
 * One slot's market outcome as plain data, the input of settlement: not the engine's classes, so a store,
 * an API or a test can build it. Prices are floats per kWh in the slot's currency; the rounding to integer
 * minor units happens once per posting in settlement (docs/ledger.md, "Rounding").
 */
import type { Currency } from '../core/money.js';
import type { TimeSlot } from '../core/time.js';

/** A grid fee per kWh owed to one area the energy crossed. */
export interface AreaFee {
  readonly area: string;
  readonly feePerKwh: number;
}

/** An aggregator between a participant and the market, taking `marginPerKwh` on its energy. */
export interface AggregatorShare {
  readonly aggregatorId: string;
  readonly marginPerKwh: number;
}

/** One row of a clearing against the market (the market is the counterparty): a `MarketClearing` row. */
export interface FillRow {
  /** The order or trade id; unique within the slot, recorded in the entry's `tradeIds`. */
  readonly rowId: string;
  /** Whose account: a participant (`participant:<id>:energy`, default) or a supplier (`supplier:<id>`). */
  readonly partyKind?: 'participant' | 'supplier';
  readonly partyId: string;
  readonly side: 'buy' | 'sell';
  /** Average power traded over the slot, kW ≥ 0; energy = filledKw × slot hours. */
  readonly filledKw: number;
  /** Energy price the seller receives and the buyer pays, per kWh. */
  readonly pricePerKwh: number;
  /** Grid fees the buyer pays on top, per area crossed (their sum is the clearing's `feePerKwh`). */
  readonly fees?: readonly AreaFee[];
  readonly aggregator?: AggregatorShare;
}

/** A trade with counterparties (P2P, continuous double auction): the buyer pays the seller directly. */
export interface BilateralFill {
  readonly tradeId: string;
  readonly buyerId: string;
  readonly sellerId: string;
  readonly quantityKw: number;
  readonly pricePerKwh: number;
  readonly fees?: readonly AreaFee[];
  readonly buyerAggregator?: AggregatorShare;
  readonly sellerAggregator?: AggregatorShare;
}

/** What a premises' meter read for the slot and how its deviation and delivery are charged. */
export interface PremisesMeter {
  readonly participantId: string;
  /** Load reference: consumed positive, exported negative. */
  readonly meteredKwh: number;
  readonly imbalancePricePerKwh: number;
  readonly distributionChargePerKwh: number;
  readonly distributionUtility: string;
}

export interface SlotOutcome {
  /** Makes entry ids unique across markets: `<marketId>/<slotStartMs>/<kind>/<id>`. */
  readonly marketId: string;
  readonly slot: TimeSlot;
  /** Booking time of the entries (epoch ms), from the caller's clock. */
  readonly timeMs: number;
  readonly currency: Currency;
  readonly rows?: readonly FillRow[];
  readonly bilateral?: readonly BilateralFill[];
  readonly meters?: readonly PremisesMeter[];
}
