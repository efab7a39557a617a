/**
 * A party's forward position: its net power per interval, the sum of its transactions (bought positive,
 * sold negative, as the load reference of DESIGN.md), and what the position cost at the forward prices.
 */
import { toMinorUnits, USD, type Currency, type MinorUnits } from '../../core/money.js';
import { slotDurationHours, type TimeSlot } from '../../core/time.js';
import type { Transaction } from './tender.js';

export interface Position {
  readonly party: string;
  readonly interval: TimeSlot;
  /** Net power bought (+) or sold (−) over the interval. */
  readonly powerKw: number;
  readonly energyKwh: number;
  /** Currency paid (+) or received (−) for the position at the transactions' prices, unrounded. */
  readonly forwardValue: number;
  /** The day-ahead bill for the position: `forwardValue` in minor units, rounded once, half to even. */
  readonly forwardMinor: MinorUnits;
}

/** The sign of a transaction for `party`: +1 as buyer, −1 as seller, 0 otherwise. */
export function directionFor(transaction: Transaction, party: string): number {
  if (transaction.buyer === party) return 1;
  if (transaction.seller === party) return -1;
  return 0;
}

/** Whether `slot` lies inside the transaction's interval. */
export function covers(transaction: Transaction, slot: TimeSlot): boolean {
  return transaction.interval.startMs <= slot.startMs && slot.endMs <= transaction.interval.endMs;
}

/** Net forward power (kW) of `party` in `slot`: the transactions whose interval contains the slot. */
export function forwardPositionKw(
  transactions: readonly Transaction[],
  party: string,
  slot: TimeSlot,
): number {
  let powerKw = 0;
  for (const t of transactions) if (covers(t, slot)) powerKw += directionFor(t, party) * t.powerKw;
  return powerKw;
}

/** Every party's position in every interval it traded, the market counterparty included, sorted. */
export function positions(transactions: readonly Transaction[], currency: Currency = USD): Position[] {
  const byKey = new Map<
    string,
    { party: string; interval: TimeSlot; powerKw: number; forwardValue: number }
  >();
  const add = (party: string, t: Transaction, sign: number) => {
    const key = `${party}\u0000${t.interval.startMs}\u0000${t.interval.endMs}`;
    const entry = byKey.get(key) ?? { party, interval: t.interval, powerKw: 0, forwardValue: 0 };
    entry.powerKw += sign * t.powerKw;
    entry.forwardValue += sign * t.powerKw * slotDurationHours(t.interval) * t.pricePerKwh;
    byKey.set(key, entry);
  };
  for (const t of transactions) {
    add(t.buyer, t, 1);
    add(t.seller, t, -1);
  }
  return [...byKey.values()]
    .sort(
      (a, b) =>
        a.interval.startMs - b.interval.startMs ||
        a.interval.endMs - b.interval.endMs ||
        (a.party < b.party ? -1 : a.party > b.party ? 1 : 0),
    )
    .map((p) => ({
      ...p,
      energyKwh: p.powerKw * slotDurationHours(p.interval),
      forwardMinor: toMinorUnits(p.forwardValue, currency),
    }));
}
