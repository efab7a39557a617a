/**
 * What a live slot's clearing result stores in its `fills` column, and what the API serves (filtered by
 * who may see which participant). Prices are currency per kWh; power is kW averaged over the slot.
 */
import type { Side } from '../market/types.js';

export interface StoredFill {
  readonly participantId: string;
  /** The client order id, or the supplier's id for the operator's wholesale offer. */
  readonly clientOrderId: string;
  readonly partyKind: 'participant' | 'supplier';
  readonly side: Side;
  /** Which step of the order's curve this row is (0 for a single-step order). */
  readonly step: number;
  readonly filledKw: number;
  /** Energy price of the fill; null when nothing filled. */
  readonly pricePerKwh: number | null;
  /** Grid fee per kWh the buyer pays on top (0 for sellers). */
  readonly feePerKwh: number;
}

export interface StoredBilateralTrade {
  readonly buyerId: string;
  readonly sellerId: string;
  readonly buyClientOrderId: string;
  readonly sellClientOrderId: string;
  readonly quantityKw: number;
  readonly pricePerKwh: number;
  readonly feePerKwh: number;
}

export interface StoredFills {
  /** Only rows that traded something. */
  readonly rows: readonly StoredFill[];
  readonly trades: readonly StoredBilateralTrade[];
}

/** A stored `fills` column read back; undefined when it is not JSON with rows (never thrown at a reader). */
export function parseStoredFills(text: string): StoredFills | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<StoredFills> | null;
    return parsed !== null && Array.isArray(parsed.rows) ? (parsed as StoredFills) : undefined;
  } catch {
    return undefined;
  }
}
