/**
 * Settlement of one cleared live slot: its stored fills, the participants' aggregators and the premises
 * meters' readings become a `SlotOutcome`; the ledger turns it into entries (trades, spread, imbalance,
 * distribution), seals them after the stored chain's tail and the store appends them and marks the slot
 * settled in one transaction.
 *
 * - Fill rows settle against the market (`market:clearing`); where the mechanism matched counterparties
 *   (P2P, continuous double auction) its trades settle bilaterally instead, except a trade with the
 *   supplier, which settles as a buy row and a supplier sell row against the market (the supplier has no
 *   participant account).
 * - Buyers pay the fee stored with their fill (the grid fee at clearing) to `grid-area:distribution:fees`.
 * - A participant with an aggregator pays it the market's current `aggregatorMarginPerKwh` on its energy.
 * - Every participant that traded or has readings in the slot has a premises meter: metered energy is
 *   the sum of its premises meter's readings with start <= timeMs < end (meterId = participantId).
 * - Imbalance price: the stored price (the clearing price, or the volume-weighted one); when nothing
 *   traded, the supplier's offer price (what the deviation was actually served at), or 0 without one.
 */
import type { Kysely } from 'kysely';
import type { TeError } from '../core/errors.js';
import { USD } from '../core/money.js';
import { ok, type Result } from '../core/result.js';
import type { TimeSlot } from '../core/time.js';
import { settleSlot } from '../ledger/delivery-settlement.js';
import { sealEntries, type ChainTail } from '../ledger/entry-sealing.js';
import type { EntryDraft, LedgerEntry, Sha256 } from '../ledger/journal-entry.js';
import type {
  AggregatorShare,
  AreaFee,
  BilateralFill,
  FillRow,
  PremisesMeter,
  SlotOutcome,
} from '../ledger/settlement-input.js';
import type { ClearingResultRecord } from '../store/clearing-result-repository.js';
import type { StoreSchema } from '../store/schema.js';
import {
  appendSlotSettlement,
  listParticipantAggregators,
  sumSlotReadings,
  type SlotSettlementOutcome,
} from '../store/slot-lifecycle-repository.js';
import type { StoredFills } from './clearing-fills.js';
import { supplierPriceAt, type MarketRules } from './market-rules.js';
import { NO_TRADE_STATUS } from './slot-clearing.js';

/** The grid-fee account buyers' fees go to: the distribution grid the whole market sits on. */
export const GRID_FEE_AREA = 'distribution';

export interface SlotSettlementInput {
  readonly marketId: string;
  readonly slot: TimeSlot;
  readonly rules: MarketRules;
  readonly result: Pick<ClearingResultRecord, 'price' | 'status'> & { readonly fills: StoredFills };
  /** Participant id → the aggregator representing it (null or absent: none). */
  readonly aggregators: ReadonlyMap<string, string | null>;
  /** Participant id → Σ readings of its premises meter in the slot, Wh (absent: no readings). */
  readonly meteredWh: ReadonlyMap<string, number>;
  /** Booking time of the entries. */
  readonly settledAtMs: number;
}

/** The slot's outcome as the ledger's settlement reads it. */
export function slotOutcomeOf(input: SlotSettlementInput): SlotOutcome {
  const { rules, result } = input;
  const margin = rules.aggregatorMarginPerKwh;
  const aggregatorOf = (participantId: string): AggregatorShare | undefined => {
    const aggregatorId = input.aggregators.get(participantId);
    return aggregatorId === null || aggregatorId === undefined || margin === 0
      ? undefined
      : { aggregatorId, marginPerKwh: margin };
  };
  const feesOf = (feePerKwh: number): readonly AreaFee[] | undefined =>
    feePerKwh > 0 ? [{ area: GRID_FEE_AREA, feePerKwh }] : undefined;
  const participantRow = (
    rowId: string,
    participantId: string,
    side: 'buy' | 'sell',
    filledKw: number,
    pricePerKwh: number,
    feePerKwh: number,
  ): FillRow => {
    const fees = side === 'buy' ? feesOf(feePerKwh) : undefined;
    const aggregator = aggregatorOf(participantId);
    return {
      rowId,
      partyId: participantId,
      side,
      filledKw,
      pricePerKwh,
      ...(fees === undefined ? {} : { fees }),
      ...(aggregator === undefined ? {} : { aggregator }),
    };
  };
  const traded = new Set<string>();
  const rows: FillRow[] = [];
  const bilateral: BilateralFill[] = [];
  const { trades } = result.fills;
  if (trades.length === 0) {
    for (const fill of result.fills.rows) {
      if (fill.pricePerKwh === null || !(fill.filledKw > 0)) continue;
      const rowId = `${fill.participantId}:${fill.clientOrderId}:${fill.step}`;
      if (fill.partyKind === 'supplier') {
        rows.push(
          supplierRow(`supplier:${rowId}`, fill.participantId, fill.side, fill.filledKw, fill.pricePerKwh),
        );
      } else {
        traded.add(fill.participantId);
        rows.push(
          participantRow(
            rowId,
            fill.participantId,
            fill.side,
            fill.filledKw,
            fill.pricePerKwh,
            fill.feePerKwh,
          ),
        );
      }
    }
  } else {
    const supplierOrders = new Set(
      result.fills.rows
        .filter((fill) => fill.partyKind === 'supplier')
        .map((fill) => `${fill.participantId}\u0000${fill.clientOrderId}`),
    );
    const isSupplier = (participantId: string, clientOrderId: string) =>
      supplierOrders.has(`${participantId}\u0000${clientOrderId}`);
    for (const [k, trade] of trades.entries()) {
      const tradeId = `t${k}:${trade.buyerId}:${trade.buyClientOrderId}>${trade.sellerId}:${trade.sellClientOrderId}`;
      const buyerIsSupplier = isSupplier(trade.buyerId, trade.buyClientOrderId);
      const sellerIsSupplier = isSupplier(trade.sellerId, trade.sellClientOrderId);
      if (buyerIsSupplier || sellerIsSupplier) {
        rows.push(
          buyerIsSupplier
            ? supplierRow(`${tradeId}:buy`, trade.buyerId, 'buy', trade.quantityKw, trade.pricePerKwh)
            : participantRow(
                `${tradeId}:buy`,
                trade.buyerId,
                'buy',
                trade.quantityKw,
                trade.pricePerKwh,
                trade.feePerKwh,
              ),
          sellerIsSupplier
            ? supplierRow(`${tradeId}:sell`, trade.sellerId, 'sell', trade.quantityKw, trade.pricePerKwh)
            : participantRow(
                `${tradeId}:sell`,
                trade.sellerId,
                'sell',
                trade.quantityKw,
                trade.pricePerKwh,
                0,
              ),
        );
        if (!buyerIsSupplier) traded.add(trade.buyerId);
        if (!sellerIsSupplier) traded.add(trade.sellerId);
        continue;
      }
      traded.add(trade.buyerId);
      traded.add(trade.sellerId);
      const fees = feesOf(trade.feePerKwh);
      const buyerAggregator = aggregatorOf(trade.buyerId);
      const sellerAggregator = aggregatorOf(trade.sellerId);
      bilateral.push({
        tradeId,
        buyerId: trade.buyerId,
        sellerId: trade.sellerId,
        quantityKw: trade.quantityKw,
        pricePerKwh: trade.pricePerKwh,
        ...(fees === undefined ? {} : { fees }),
        ...(buyerAggregator === undefined ? {} : { buyerAggregator }),
        ...(sellerAggregator === undefined ? {} : { sellerAggregator }),
      });
    }
  }
  const imbalancePricePerKwh =
    result.status === NO_TRADE_STATUS
      ? rules.supplier === undefined
        ? 0
        : supplierPriceAt(rules.supplier, input.slot.startMs)
      : result.price;
  const metered = [...new Set([...traded, ...input.meteredWh.keys()])].sort();
  const meters: PremisesMeter[] = metered.map((participantId) => ({
    participantId,
    meteredKwh: (input.meteredWh.get(participantId) ?? 0) / 1000,
    imbalancePricePerKwh,
    distributionChargePerKwh: rules.distributionChargePerKwh,
    distributionUtility: rules.distributionUtility,
  }));
  return {
    marketId: input.marketId,
    slot: input.slot,
    timeMs: input.settledAtMs,
    currency: USD,
    rows,
    bilateral,
    meters,
  };
}

function supplierRow(
  rowId: string,
  supplierId: string,
  side: 'buy' | 'sell',
  filledKw: number,
  pricePerKwh: number,
): FillRow {
  return { rowId, partyKind: 'supplier', partyId: supplierId, side, filledKw, pricePerKwh };
}

/** The slot's entry drafts, in booking order. */
export function slotSettlementDrafts(input: SlotSettlementInput): Result<readonly EntryDraft[], TeError> {
  return settleSlot(slotOutcomeOf(input));
}

export type StoredSlotSettlement =
  | (SlotSettlementOutcome & { readonly outcome: 'already-settled' | 'conflict' })
  | {
      readonly outcome: 'settled';
      readonly entries: readonly LedgerEntry[];
      /** The chain's last hash after this slot (the tail's when the slot booked nothing). */
      readonly lastHash: string;
    };

/**
 * Reads what settling the slot needs, settles it, and appends the sealed entries with the slot's settled
 * mark in one transaction. `result` is the slot's stored clearing result.
 */
export async function settleStoredSlot(
  db: Kysely<StoreSchema>,
  sha256: Sha256,
  slot: { readonly marketId: string; readonly startMs: number; readonly endMs: number },
  rules: MarketRules,
  result: SlotSettlementInput['result'],
  settledAtMs: number,
): Promise<Result<StoredSlotSettlement>> {
  const aggregators = await listParticipantAggregators(db);
  const meteredWh = await sumSlotReadings(db, [...aggregators.keys()], slot.startMs, slot.endMs);
  const drafts = slotSettlementDrafts({
    marketId: slot.marketId,
    slot: { startMs: slot.startMs, endMs: slot.endMs },
    rules,
    result,
    aggregators,
    meteredWh,
    settledAtMs,
  });
  if (!drafts.ok) return drafts;
  let tailSealed: ChainTail | undefined;
  const appended = await appendSlotSettlement(db, slot, settledAtMs, (tail) => {
    tailSealed = tail;
    return sealEntries(drafts.value, tail, sha256);
  });
  if (!appended.ok) return appended;
  const outcome = appended.value;
  if (outcome.outcome !== 'settled') return ok(outcome);
  return ok({
    outcome: 'settled',
    entries: outcome.entries,
    lastHash: outcome.entries.at(-1)?.hash ?? tailSealed?.previousHash ?? '',
  });
}
