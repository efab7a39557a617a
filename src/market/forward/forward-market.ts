/**
 * The day-ahead forward market: at gate closure it clears, interval by interval (e.g. each hour of the
 * next day), the tenders still open, through the common clearing interface (the uniform-price auction by
 * default). Each filled tender becomes a transaction with the market as counterparty at the row's price.
 * A forward interval's tenders all cover the same interval; quantities are kW over the interval, which is
 * what the order table carries too.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { TimeSlot } from '../../core/time.js';
import type { ClearingMechanism } from '../mechanism/clearing-mechanism.js';
import { OrderTableBuilder } from '../mechanism/order-table.js';
import { uniformPriceAuction } from '../mechanism/uniform-price-mechanism.js';
import { MARKET_PARTY, validateTender, type Tender, type Transaction } from './tender.js';

export interface ForwardMarketOptions {
  /** Length of every forward interval, e.g. MS_PER_HOUR. */
  readonly intervalMs: number;
  /** Intervals start on multiples of `intervalMs` counted from here (default 0, the epoch). */
  readonly originMs?: number;
  /** The instant of clearing: tenders with `expiresMs` at or before it are left out. */
  readonly gateClosureMs: number;
  readonly priceCap: number;
  readonly bidOffset: number;
  readonly mechanism?: ClearingMechanism;
}

export interface IntervalClearing {
  readonly interval: TimeSlot;
  readonly clearingPricePerKwh: number;
  readonly status: string;
  /** Average power bought (= sold) over the interval. */
  readonly tradedKw: number;
}

export interface ForwardClearing {
  readonly transactions: readonly Transaction[];
  /** One per interval that had open tenders, in time order. */
  readonly intervals: readonly IntervalClearing[];
  readonly expiredTenderIds: readonly string[];
}

export function clearForwardMarket(
  tenders: readonly Tender[],
  options: ForwardMarketOptions,
): Result<ForwardClearing, TeError> {
  const invalid = validateTenders(tenders, options);
  if (invalid !== undefined) return err(invalid);
  const mechanism = options.mechanism ?? uniformPriceAuction;
  // Participant indices by sorted party name: the same tenders give the same table, whoever sends first.
  const parties = [...new Set(tenders.map((t) => t.party))].sort();
  const partyIndex = new Map(parties.map((p, i) => [p, i]));
  const byInterval = new Map<number, Tender[]>();
  const expiredTenderIds: string[] = [];
  for (const tender of tenders) {
    if (tender.expiresMs <= options.gateClosureMs) {
      expiredTenderIds.push(tender.tenderId);
      continue;
    }
    const list = byInterval.get(tender.interval.startMs) ?? [];
    list.push(tender);
    byInterval.set(tender.interval.startMs, list);
  }
  const transactions: Transaction[] = [];
  const intervals: IntervalClearing[] = [];
  const builder = new OrderTableBuilder();
  for (const startMs of [...byInterval.keys()].sort((a, b) => a - b)) {
    const open = byInterval.get(startMs) ?? [];
    const interval = { startMs, endMs: startMs + options.intervalMs };
    builder.reset();
    for (const t of open) {
      builder.add({
        side: t.side,
        price: t.pricePerKwh,
        quantity: t.powerKw,
        participant: partyIndex.get(t.party) ?? -1,
      });
    }
    const cleared = mechanism.clear(builder.build(), {
      slot: interval,
      priceCap: options.priceCap,
      bidOffset: options.bidOffset,
    });
    if (!cleared.ok) return err(cleared.error);
    const clearing = cleared.value;
    let tradedKw = 0;
    open.forEach((t, row) => {
      const powerKw = clearing.filled[row] ?? 0;
      if (powerKw <= 0) return;
      const buying = t.side === 'buy';
      if (buying) tradedKw += powerKw;
      transactions.push({
        transactionId: `fwd-${t.tenderId}`,
        interval,
        buyer: buying ? t.party : MARKET_PARTY,
        seller: buying ? MARKET_PARTY : t.party,
        powerKw,
        // Buyers pay the energy price plus any grid fee the mechanism charged on top.
        pricePerKwh: (clearing.price[row] ?? Number.NaN) + (buying ? (clearing.feePerKwh[row] ?? 0) : 0),
        tenderIds: [t.tenderId],
      });
    });
    intervals.push({
      interval,
      clearingPricePerKwh: clearing.clearingPrice,
      status: clearing.status,
      tradedKw,
    });
  }
  return ok({ transactions, intervals, expiredTenderIds });
}

function validateTenders(tenders: readonly Tender[], options: ForwardMarketOptions): TeError | undefined {
  const { intervalMs, originMs = 0 } = options;
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    return new TeError('TE_ERR_SLOT_MISALIGNED', `intervalMs is ${intervalMs}`, {
      path: 'options.intervalMs',
      hint: 'give the forward interval as a positive whole number of ms, such as 3600000 for an hour',
    });
  }
  const seen = new Set<string>();
  for (const [i, tender] of tenders.entries()) {
    const where = `tenders[${i}]`;
    const invalid = validateTender(tender, where);
    if (invalid !== undefined) return invalid;
    if (tender.pricePerKwh < -options.priceCap) {
      return new TeError('TE_ERR_PRICE_OUT_OF_RANGE', `the price ${tender.pricePerKwh} is below -priceCap`, {
        path: `${where}.pricePerKwh`,
        hint: `use a price of at least ${-options.priceCap}`,
      });
    }
    const { startMs, endMs } = tender.interval;
    if (endMs - startMs !== intervalMs || (startMs - originMs) % intervalMs !== 0) {
      return new TeError(
        'TE_ERR_SLOT_MISALIGNED',
        `the interval [${startMs}, ${endMs}) is not a market interval`,
        {
          path: `${where}.interval`,
          hint: `tender for whole intervals of ${intervalMs} ms starting on a multiple of it`,
        },
      );
    }
    if (seen.has(tender.tenderId)) {
      return new TeError('TE_ERR_DUPLICATE_ORDER', `tender id ${tender.tenderId} is used twice`, {
        path: `${where}.tenderId`,
        hint: 'give every tender its own id',
      });
    }
    seen.add(tender.tenderId);
  }
  return undefined;
}
