/**
 * A participant's statement for a period: every posting to one of its accounts (`participant:<id>:*`) in
 * one currency, booked in [fromMs, toMs), with the balance before, after each line, and at the end.
 * Positive amounts were paid to the participant, negative amounts were paid by it.
 */
import type { Currency } from '../core/money.js';
import { participantAccountPrefix, type EntryKind, type LedgerEntry } from './journal-entry.js';

export interface StatementPeriod {
  /** Booking times (entry `timeMs`), half-open [fromMs, toMs). */
  readonly fromMs: number;
  readonly toMs: number;
}

export interface StatementLine {
  readonly entryId: string;
  readonly sequence: number;
  readonly timeMs: number;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  readonly kind: EntryKind;
  readonly account: string;
  readonly amountMinor: number;
  /** Balance after this line. */
  readonly balanceMinor: number;
  readonly tradeIds: readonly string[];
}

export interface ParticipantStatement {
  readonly participantId: string;
  readonly currency: Currency;
  readonly period: StatementPeriod;
  readonly openingBalanceMinor: number;
  readonly lines: readonly StatementLine[];
  readonly closingBalanceMinor: number;
  /** Σ of the lines' amounts per entry kind. */
  readonly totalsByKindMinor: Readonly<Partial<Record<EntryKind, number>>>;
}

export function participantStatement(
  entries: readonly LedgerEntry[],
  participantId: string,
  period: StatementPeriod,
  currency: Currency,
): ParticipantStatement {
  const prefix = participantAccountPrefix(participantId);
  let openingBalanceMinor = 0;
  const lines: StatementLine[] = [];
  const totals: Partial<Record<EntryKind, number>> = {};
  for (const entry of entries) {
    if (entry.timeMs >= period.toMs) continue;
    for (const posting of entry.postings) {
      if (posting.currency !== currency.code || !posting.account.startsWith(prefix)) continue;
      if (entry.timeMs < period.fromMs) {
        openingBalanceMinor += posting.amountMinor;
        continue;
      }
      totals[entry.kind] = (totals[entry.kind] ?? 0) + posting.amountMinor;
      const tradeIds = entry.metadata['tradeIds'];
      lines.push({
        entryId: entry.id,
        sequence: entry.sequence,
        timeMs: entry.timeMs,
        slotStartMs: entry.slot.startMs,
        slotEndMs: entry.slot.endMs,
        kind: entry.kind,
        account: posting.account,
        amountMinor: posting.amountMinor,
        balanceMinor: 0,
        tradeIds: Array.isArray(tradeIds) ? tradeIds : [],
      });
    }
  }
  // Entries are in sequence order but booking times need not be: running balances follow the lines.
  let running = openingBalanceMinor;
  const withBalances = lines.map((line) => {
    running += line.amountMinor;
    return { ...line, balanceMinor: running };
  });
  return {
    participantId,
    currency,
    period,
    openingBalanceMinor,
    lines: withBalances,
    closingBalanceMinor: running,
    totalsByKindMinor: totals,
  };
}
