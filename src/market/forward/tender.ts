/**
 * Forward transactive tenders after TeMIX and the OASIS Energy Interoperation Common Transactive
 * Services: a tender offers to buy or sell a constant power over an interval at a price, until it
 * expires; a transaction is an accepted tender, between two parties or with the market as counterparty.
 *
 * Units: quantities are a rate, `powerKw`, constant over the interval's half-open [startMs, endMs), as in
 * TeMIX (energy = powerKw × interval hours); prices are currency per kWh. A position follows the load
 * reference of DESIGN.md: buying is positive.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { slotDurationHours, type TimeSlot } from '../../core/time.js';
import type { Side } from '../types.js';

/** The counterparty of every transaction the forward market clears (the market operator). */
export const MARKET_PARTY = 'market';

export interface Tender {
  readonly tenderId: string;
  readonly party: string;
  readonly interval: TimeSlot;
  readonly side: Side;
  /** Constant power over the interval, ≥ 0; the side says the direction. */
  readonly powerKw: number;
  /** Limit price: a buyer pays at most this, a seller receives at least this. */
  readonly pricePerKwh: number;
  /** Epoch ms from which the tender can no longer be accepted or cleared. */
  readonly expiresMs: number;
}

export interface Transaction {
  readonly transactionId: string;
  readonly interval: TimeSlot;
  readonly buyer: string;
  readonly seller: string;
  readonly powerKw: number;
  readonly pricePerKwh: number;
  /** The tenders this transaction accepted. */
  readonly tenderIds: readonly string[];
}

export function energyKwh(quantity: { readonly interval: TimeSlot; readonly powerKw: number }): number {
  return quantity.powerKw * slotDurationHours(quantity.interval);
}

/** Checks one tender's fields; `where` names it in the error path, such as `tenders[3]`. */
export function validateTender(tender: Tender, where: string): TeError | undefined {
  if (tender.tenderId === '') {
    return new TeError('TE_ERR_VALIDATION', 'the tender has no id', {
      path: `${where}.tenderId`,
      hint: 'give every tender a unique id',
    });
  }
  if (tender.party === '' || tender.party === MARKET_PARTY) {
    return new TeError('TE_ERR_VALIDATION', `the tender's party is '${tender.party}'`, {
      path: `${where}.party`,
      hint: `name the party that tenders; '${MARKET_PARTY}' is reserved for the market operator`,
    });
  }
  const { startMs, endMs } = tender.interval;
  if (!Number.isSafeInteger(startMs) || !Number.isSafeInteger(endMs) || endMs <= startMs) {
    return new TeError('TE_ERR_VALIDATION', `the interval [${startMs}, ${endMs}) is empty or not whole ms`, {
      path: `${where}.interval`,
      hint: 'give epoch milliseconds with endMs after startMs',
    });
  }
  for (const [field, value] of [
    ['powerKw', tender.powerKw],
    ['pricePerKwh', tender.pricePerKwh],
    ['expiresMs', tender.expiresMs],
  ] as const) {
    if (!Number.isFinite(value)) {
      return new TeError('TE_ERR_NOT_FINITE', `the tender's ${field} is ${String(value)}`, {
        path: `${where}.${field}`,
        hint: 'give a finite number',
      });
    }
  }
  if (tender.powerKw < 0) {
    return new TeError('TE_ERR_NEGATIVE_QUANTITY', `the tender's powerKw is ${tender.powerKw}`, {
      path: `${where}.powerKw`,
      hint: `quantities are positive on both sides; to ${tender.side === 'buy' ? 'sell' : 'buy'}, tender on that side`,
    });
  }
  return undefined;
}

export interface Acceptance {
  /** The party accepting the tender: the counterparty of its author. */
  readonly party: string;
  readonly atMs: number;
  /** Part of the tender accepted; the whole of it when absent. */
  readonly powerKw?: number;
  readonly transactionId: string;
}

/** A bilateral transaction: `acceptance.party` takes (part of) another party's tender at its price. */
export function acceptTender(tender: Tender, acceptance: Acceptance): Result<Transaction, TeError> {
  const invalid = validateTender(tender, 'tender');
  if (invalid !== undefined) return err(invalid);
  if (acceptance.atMs >= tender.expiresMs) {
    return err(
      new TeError('TE_ERR_ORDER_LATE', `tender ${tender.tenderId} expired at ${tender.expiresMs}`, {
        path: 'acceptance.atMs',
        hint: 'accept a tender before it expires, or ask its party for a new one',
      }),
    );
  }
  if (acceptance.party === tender.party) {
    return err(
      new TeError('TE_ERR_VALIDATION', `${tender.party} cannot accept its own tender`, {
        path: 'acceptance.party',
      }),
    );
  }
  const powerKw = acceptance.powerKw ?? tender.powerKw;
  if (!(powerKw >= 0 && powerKw <= tender.powerKw)) {
    return err(
      new TeError('TE_ERR_VALIDATION', `cannot accept ${powerKw} kW of a ${tender.powerKw} kW tender`, {
        path: 'acceptance.powerKw',
        hint: `accept between 0 and ${tender.powerKw} kW`,
      }),
    );
  }
  const buying = tender.side === 'buy';
  return ok({
    transactionId: acceptance.transactionId,
    interval: tender.interval,
    buyer: buying ? tender.party : acceptance.party,
    seller: buying ? acceptance.party : tender.party,
    powerKw,
    pricePerKwh: tender.pricePerKwh,
    tenderIds: [tender.tenderId],
  });
}
