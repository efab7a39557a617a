/**
 * Gate closure of one live slot: its stored orders (time priority = their sequence) become the slot's
 * order table, one row per bid-curve step, after the supplier's standing offer; the market's mechanism
 * clears it; the result becomes the record the store keeps (`clearing_results`) with the fills in the
 * shape the API serves (clearing-fills.ts).
 *
 * Stored price: the mechanism's clearing price where it has one; otherwise the volume-weighted average
 * energy price buyers paid; when nothing traded and there is no price, 0 with status `no-trade`.
 */
import { TeError } from '../core/errors.js';
import { toMinorUnits, USD } from '../core/money.js';
import { err, ok, type Result } from '../core/result.js';
import { MS_PER_HOUR, type TimeSlot } from '../core/time.js';
import { validateBid } from '../market/book-validation.js';
import type { MarketClearing } from '../market/mechanism/clearing-mechanism.js';
import { mechanismNamed } from '../market/mechanism/mechanism-registry.js';
import { BUY, OrderTableBuilder } from '../market/mechanism/order-table.js';
import type { Side } from '../market/types.js';
import type { ClearingResultRecord } from '../store/clearing-result-repository.js';
import type { StoredOrder } from '../store/order-repository.js';
import type { StoredBilateralTrade, StoredFill, StoredFills } from './clearing-fills.js';
import { supplierPriceAt, type MarketRules } from './market-rules.js';

export const NO_TRADE_STATUS = 'no-trade';

interface RowOwner {
  readonly participantId: string;
  readonly clientOrderId: string;
  readonly partyKind: 'participant' | 'supplier';
  readonly side: Side;
  readonly step: number;
}

export interface SlotClearing {
  readonly record: ClearingResultRecord & { readonly fills: StoredFills };
  /** Orders that went into the table. */
  readonly orderCount: number;
  /** The mechanism's single clearing price, null where it has none (for the slot-cleared event). */
  readonly clearingPricePerKwh: number | null;
  /** Orders left out because a step is outside the market's rules now (e.g. the price cap was lowered). */
  readonly excluded: readonly { readonly order: StoredOrder; readonly error: TeError }[];
}

/** Clears one slot's orders under `rules`. Pure: the caller reads the orders and stores the result. */
export function clearSlotOrders(
  marketId: string,
  slot: TimeSlot,
  rules: MarketRules,
  orders: readonly StoredOrder[],
  clearedAtMs: number,
): Result<SlotClearing, TeError> {
  const mechanism = mechanismNamed(rules.mechanism);
  if (mechanism === undefined) {
    return err(unknownMechanism(rules.mechanism));
  }
  const builder = new OrderTableBuilder();
  const owners: RowOwner[] = [];
  const participantIndex = new Map<string, number>();
  // The supplier's standing offer goes first, as in the engine: in a continuous market a market order
  // that finds no offer is cancelled, so the offer must already rest when the first bid arrives.
  if (rules.supplier !== undefined) {
    const supplier = rules.supplier;
    builder.add({
      side: 'sell',
      price: supplierPriceAt(supplier, slot.startMs),
      quantity: supplier.capacityKw,
      participant: 0,
    });
    owners.push({
      participantId: supplier.id,
      clientOrderId: supplier.id,
      partyKind: 'supplier',
      side: 'sell',
      step: 0,
    });
  }
  const firstParticipant = owners.length;
  const excluded: { order: StoredOrder; error: TeError }[] = [];
  let orderCount = 0;
  for (const order of orders) {
    const invalid = order.steps
      .map((s, k) =>
        validateBid(
          `${order.clientOrderId}.steps[${k}]`,
          order.side,
          s.price,
          s.quantity,
          rules.priceCapPerKwh,
        ),
      )
      .find((e) => e !== undefined);
    if (invalid !== undefined) {
      excluded.push({ order, error: invalid });
      continue;
    }
    orderCount += 1;
    let participant = participantIndex.get(order.participantId);
    if (participant === undefined) {
      participant = firstParticipant + participantIndex.size;
      participantIndex.set(order.participantId, participant);
    }
    for (const [step, s] of order.steps.entries()) {
      builder.add({
        side: order.side,
        price: s.price,
        quantity: s.quantity,
        participant,
        green: order.green,
      });
      owners.push({
        participantId: order.participantId,
        clientOrderId: order.clientOrderId,
        partyKind: 'participant',
        side: order.side,
        step,
      });
    }
  }
  const table = builder.build();
  const cleared = mechanism.clear(table, {
    slot,
    priceCap: rules.priceCapPerKwh,
    bidOffset: rules.bidOffsetPerKwh,
  });
  if (!cleared.ok) return cleared;
  return ok(
    toSlotClearing(
      marketId,
      slot,
      rules,
      cleared.value,
      owners,
      table.side,
      orderCount,
      excluded,
      clearedAtMs,
    ),
  );
}

function toSlotClearing(
  marketId: string,
  slot: TimeSlot,
  rules: MarketRules,
  clearing: MarketClearing,
  owners: readonly RowOwner[],
  sides: Uint8Array,
  orderCount: number,
  excluded: SlotClearing['excluded'],
  clearedAtMs: number,
): SlotClearing {
  const hours = (slot.endMs - slot.startMs) / MS_PER_HOUR;
  const feeOf = (row: number, owner: RowOwner) =>
    owner.side === 'buy'
      ? (clearing.feePerKwh[row] ?? 0) + (owner.partyKind === 'participant' ? rules.gridFeePerKwh : 0)
      : 0;
  const rows: StoredFill[] = [];
  let boughtKw = 0;
  let buyValuePerHour = 0;
  for (const [row, owner] of owners.entries()) {
    const filledKw = clearing.filled[row] ?? 0;
    if (!(filledKw > 0)) continue;
    const price = clearing.price[row] ?? Number.NaN;
    rows.push({
      participantId: owner.participantId,
      clientOrderId: owner.clientOrderId,
      partyKind: owner.partyKind,
      side: owner.side,
      step: owner.step,
      filledKw,
      pricePerKwh: Number.isFinite(price) ? price : null,
      feePerKwh: feeOf(row, owner),
    });
    if (sides[row] === BUY) {
      boughtKw += filledKw;
      if (Number.isFinite(price)) buyValuePerHour += filledKw * price;
    }
  }
  const trades: StoredBilateralTrade[] = (clearing.trades ?? [])
    .filter((trade) => trade.quantity > 0)
    .map((trade) => {
      const buyer = owners[trade.buyRow] as RowOwner;
      const seller = owners[trade.sellRow] as RowOwner;
      return {
        buyerId: buyer.participantId,
        sellerId: seller.participantId,
        buyClientOrderId: buyer.clientOrderId,
        sellClientOrderId: seller.clientOrderId,
        quantityKw: trade.quantity,
        pricePerKwh: trade.price,
        feePerKwh: trade.feePerKwh + (buyer.partyKind === 'participant' ? rules.gridFeePerKwh : 0),
      };
    });
  const traded = boughtKw > 0;
  const hasPrice = Number.isFinite(clearing.clearingPrice);
  const price = hasPrice ? clearing.clearingPrice : traded ? buyValuePerHour / boughtKw : 0;
  return {
    record: {
      marketId,
      slotStartMs: slot.startMs,
      mechanism: clearing.mechanism,
      price,
      status: !hasPrice && !traded ? NO_TRADE_STATUS : clearing.status,
      tradedEnergyWh: Math.round(boughtKw * hours * 1000),
      tradedValueMinor: toMinorUnits(buyValuePerHour * hours, USD),
      fills: { rows, trades },
      clearedAtMs,
    },
    orderCount,
    clearingPricePerKwh: hasPrice ? clearing.clearingPrice : null,
    excluded,
  };
}

function unknownMechanism(name: string): TeError {
  // Rules are validated against the registry when written; this guards rules written by another release.
  return new TeError('TE_ERR_CONFIG', `the market's mechanism '${name}' is not known to this server`, {
    path: 'rules.mechanism',
    hint: 'set one of the mechanisms the server lists in its OpenAPI document',
  });
}
