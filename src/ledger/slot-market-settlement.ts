/**
 * Turns one slot's market outcome into journal entries:
 *  - trade: one entry per fill row (market as counterparty) or per bilateral trade — buyer pays energy,
 *    grid fees (to each area crossed) and an aggregator's margin; the seller receives energy less margin;
 *  - spread: what `market:clearing` kept over the slot's trades (pay-as-bid, P2P spreads) moves to
 *    `market:operator`, so the clearing account is flat after every slot;
 *  - imbalance: each premises' deviation (metered − traded energy) at the imbalance price;
 *  - distribution: metered energy at the distribution charge.
 * Energy is quantised to integer Wh first (so money and energy agree), then priced in micro-units and
 * rounded once per posting (posting-rounding.ts).
 */
import { TeError } from '../core/errors.js';
import { toMicroUnits } from '../core/money.js';
import { err, ok, type Result } from '../core/result.js';
import { slotDurationHours } from '../core/time.js';
import { accounts, type EntryDraft, type EntryKind, type EntryMetadata } from './journal-entry.js';
import { kwhToWh, roundPostings, type MicroPosting } from './posting-rounding.js';
import type { AggregatorShare, AreaFee, BilateralFill, FillRow, SlotOutcome } from './settlement-input.js';
import { allocateWattHours } from './watt-hour-allocation.js';

export interface SlotSettlement {
  readonly drafts: readonly EntryDraft[];
  /** Net energy each participant bought in the slot's trades (negative: sold), integer Wh. */
  readonly netTradedWhByParticipant: ReadonlyMap<string, number>;
}

const valueMicro = (energyWh: number, pricePerKwh: number): number =>
  toMicroUnits((energyWh / 1000) * pricePerKwh);

function entryId(outcome: SlotOutcome, kind: EntryKind, id: string): string {
  return `${outcome.marketId}/${outcome.slot.startMs}/${kind}/${id}`;
}

/**
 * A trade entry. When every posting rounds to zero the entry is still booked, with one zero posting on the
 * party's account: it carries energy, and dropping it would break bought = sold for the slot.
 */
function tradeDraft(
  outcome: SlotOutcome,
  id: string,
  party: string,
  micro: MicroPosting[],
  metadata: EntryMetadata,
): EntryDraft {
  const kind: EntryKind = 'trade';
  const rounded = roundPostings(micro, outcome.currency);
  const postings =
    rounded.length > 0 ? rounded : [{ account: party, amountMinor: 0, currency: outcome.currency.code }];
  return {
    id: entryId(outcome, kind, id),
    slot: outcome.slot,
    timeMs: outcome.timeMs,
    kind,
    postings,
    metadata,
  };
}

/** `from` pays `to`: two legs that sum to zero in micro-units. */
function transfer(legs: MicroPosting[], from: string, to: string, amountMicro: number): void {
  legs.push({ account: from, amountMicro: -amountMicro }, { account: to, amountMicro });
}

/** A buyer's fees to the areas its energy crossed and its aggregator's margin. */
function buyerExtras(
  legs: MicroPosting[],
  buyer: string,
  wh: number,
  fees: readonly AreaFee[],
  aggregator: AggregatorShare | undefined,
): void {
  for (const fee of fees)
    transfer(legs, buyer, accounts.gridAreaFees(fee.area), valueMicro(wh, fee.feePerKwh));
  if (aggregator !== undefined) {
    transfer(
      legs,
      buyer,
      accounts.aggregatorMargin(aggregator.aggregatorId),
      valueMicro(wh, aggregator.marginPerKwh),
    );
  }
}

/** A seller's aggregator takes its margin out of what the seller receives. */
function sellerExtras(
  legs: MicroPosting[],
  seller: string,
  wh: number,
  aggregator: AggregatorShare | undefined,
): void {
  if (aggregator === undefined) return;
  transfer(
    legs,
    seller,
    accounts.aggregatorMargin(aggregator.aggregatorId),
    valueMicro(wh, aggregator.marginPerKwh),
  );
}

function rowAccount(row: FillRow): string {
  return row.partyKind === 'supplier'
    ? accounts.supplier(row.partyId)
    : accounts.participantEnergy(row.partyId);
}

function checkFinite(values: readonly number[], path: string): TeError | undefined {
  if (values.every(Number.isFinite)) return undefined;
  return new TeError('TE_ERR_NOT_FINITE', `a quantity or price of ${path} is not finite`, { path });
}

/** Entries for the slot's fills and its spread, and each participant's net traded energy. */
export function settleTrades(outcome: SlotOutcome): Result<SlotSettlement, TeError> {
  const hours = slotDurationHours(outcome.slot);
  const rows = outcome.rows ?? [];
  const bilateral = outcome.bilateral ?? [];
  for (const [index, row] of rows.entries()) {
    const bad = checkFinite(
      [
        row.filledKw,
        row.pricePerKwh,
        ...(row.fees ?? []).map((f) => f.feePerKwh),
        row.aggregator?.marginPerKwh ?? 0,
      ],
      `rows[${index}] (${row.rowId})`,
    );
    if (bad !== undefined) return err(bad);
  }
  for (const [index, trade] of bilateral.entries()) {
    const bad = checkFinite(
      [
        trade.quantityKw,
        trade.pricePerKwh,
        ...(trade.fees ?? []).map((f) => f.feePerKwh),
        trade.buyerAggregator?.marginPerKwh ?? 0,
        trade.sellerAggregator?.marginPerKwh ?? 0,
      ],
      `bilateral[${index}] (${trade.tradeId})`,
    );
    if (bad !== undefined) return err(bad);
  }
  const energyWh = allocateWattHours(
    rows.map((row) => ({ side: row.side, energyKwh: row.filledKw * hours })),
  );
  if (!energyWh.ok) return energyWh;
  const drafts: EntryDraft[] = [];
  const netWh = new Map<string, number>();
  const addNet = (participantId: string, wh: number) =>
    netWh.set(participantId, (netWh.get(participantId) ?? 0) + wh);
  let clearingTakeMinor = 0;
  for (const [index, row] of rows.entries()) {
    const wh = energyWh.value[index] as number;
    if (wh === 0) continue;
    const legs: MicroPosting[] = [];
    const account = rowAccount(row);
    const energyMicro = valueMicro(wh, row.pricePerKwh);
    if (row.side === 'buy') {
      transfer(legs, account, accounts.marketClearing, energyMicro);
      buyerExtras(legs, account, wh, row.fees ?? [], row.aggregator);
    } else {
      transfer(legs, accounts.marketClearing, account, energyMicro);
      sellerExtras(legs, account, wh, row.aggregator);
    }
    if (row.partyKind !== 'supplier') addNet(row.partyId, row.side === 'buy' ? wh : -wh);
    const entry = tradeDraft(outcome, row.rowId, account, legs, {
      tradeIds: [row.rowId],
      partyId: row.partyId,
      pricePerKwh: String(row.pricePerKwh),
      [row.side === 'buy' ? 'boughtWh' : 'soldWh']: wh,
    });
    drafts.push(entry);
    for (const p of entry.postings)
      if (p.account === accounts.marketClearing) clearingTakeMinor += p.amountMinor;
  }
  for (const trade of bilateral) drafts.push(...bilateralEntry(outcome, trade, hours, addNet));
  if (clearingTakeMinor !== 0) {
    drafts.push({
      id: entryId(outcome, 'spread', 'operator'),
      slot: outcome.slot,
      timeMs: outcome.timeMs,
      kind: 'spread',
      postings: [
        {
          account: accounts.marketClearing,
          amountMinor: -clearingTakeMinor,
          currency: outcome.currency.code,
        },
        { account: accounts.marketOperator, amountMinor: clearingTakeMinor, currency: outcome.currency.code },
      ],
      metadata: {},
    });
  }
  return ok({ drafts, netTradedWhByParticipant: netWh });
}

function bilateralEntry(
  outcome: SlotOutcome,
  trade: BilateralFill,
  hours: number,
  addNet: (id: string, wh: number) => void,
): EntryDraft[] {
  const wh = kwhToWh(trade.quantityKw * hours);
  if (wh === 0) return [];
  const buyer = accounts.participantEnergy(trade.buyerId);
  const seller = accounts.participantEnergy(trade.sellerId);
  const legs: MicroPosting[] = [];
  transfer(legs, buyer, seller, valueMicro(wh, trade.pricePerKwh));
  buyerExtras(legs, buyer, wh, trade.fees ?? [], trade.buyerAggregator);
  sellerExtras(legs, seller, wh, trade.sellerAggregator);
  addNet(trade.buyerId, wh);
  addNet(trade.sellerId, -wh);
  const entry = tradeDraft(outcome, trade.tradeId, buyer, legs, {
    tradeIds: [trade.tradeId],
    buyerId: trade.buyerId,
    sellerId: trade.sellerId,
    pricePerKwh: String(trade.pricePerKwh),
    boughtWh: wh,
    soldWh: wh,
  });
  return [entry];
}
