/**
 * A statement as CSV (RFC 4180): CRLF line ends, a header row, fields with a comma, quote, CR or LF
 * quoted with inner quotes doubled. Times are ISO 8601 with an explicit offset; amounts are decimal
 * strings built from integer minor units (never through a float), e.g. -1234 → "-12.34".
 */
import type { Currency } from '../core/money.js';
import { toIsoWithOffset } from '../core/time.js';
import type { ParticipantStatement } from './participant-statement.js';

export const STATEMENT_CSV_HEADER = [
  'participant_id',
  'entry_id',
  'sequence',
  'booked_at',
  'slot_start',
  'slot_end',
  'kind',
  'account',
  'amount',
  'balance',
  'currency',
  'trade_ids',
] as const;

export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** Integer minor units as a decimal string in major units; the currency's minor units are a power of 10. */
export function formatMinorUnits(amountMinor: number, currency: Currency): string {
  const digits = Math.round(Math.log10(currency.minorUnitsPerMajor));
  if (10 ** digits !== currency.minorUnitsPerMajor || !Number.isSafeInteger(amountMinor)) {
    throw new RangeError(`cannot format ${amountMinor} minor units of ${currency.code} as a decimal`);
  }
  const sign = amountMinor < 0 ? '-' : '';
  const text = String(Math.abs(amountMinor)).padStart(digits + 1, '0');
  if (digits === 0) return `${sign}${text}`;
  return `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

export function statementCsv(statement: ParticipantStatement, offsetMinutes = 0): string {
  const { currency, participantId, period } = statement;
  const money = (minor: number) => formatMinorUnits(minor, currency);
  const time = (ms: number) => toIsoWithOffset(ms, offsetMinutes);
  const rows: string[][] = [[...STATEMENT_CSV_HEADER]];
  // Opening and closing balances as their own rows, so the file alone reconciles.
  const balanceRow = (kind: string, timeMs: number, balance: number) => [
    participantId,
    '',
    '',
    time(timeMs),
    '',
    '',
    kind,
    '',
    '',
    money(balance),
    currency.code,
    '',
  ];
  rows.push(balanceRow('opening-balance', period.fromMs, statement.openingBalanceMinor));
  for (const line of statement.lines) {
    rows.push([
      participantId,
      line.entryId,
      String(line.sequence),
      time(line.timeMs),
      time(line.slotStartMs),
      time(line.slotEndMs),
      line.kind,
      line.account,
      money(line.amountMinor),
      money(line.balanceMinor),
      currency.code,
      line.tradeIds.join(';'),
    ]);
  }
  rows.push(balanceRow('closing-balance', period.toMs, statement.closingBalanceMinor));
  return rows.map((row) => row.map(csvField).join(',')).join('\r\n') + '\r\n';
}
