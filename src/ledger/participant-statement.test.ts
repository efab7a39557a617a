import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import { settleSlot } from './delivery-settlement.js';
import { Journal } from './journal.js';
import type { Sha256 } from './journal-entry.js';
import { participantStatement } from './participant-statement.js';
import type { SlotOutcome } from './settlement-input.js';
import { csvField, formatMinorUnits, statementCsv } from './statement-csv.js';

const sha256: Sha256 = (bytes) => new Uint8Array(createHash('sha256').update(bytes).digest());
const HOUR_MS = 3_600_000;
const HOSTILE = 'evil,"id"\r\n=cmd';

function slotOutcome(hour: number, buyer: string): SlotOutcome {
  const slot = { startMs: hour * HOUR_MS, endMs: (hour + 1) * HOUR_MS };
  return {
    marketId: 'm',
    slot,
    timeMs: slot.endMs,
    currency: USD,
    rows: [
      {
        rowId: `b${hour},x`,
        partyId: buyer,
        side: 'buy',
        filledKw: 1 + hour,
        pricePerKwh: 0.1 + hour / 100,
        fees: [{ area: 'f', feePerKwh: 0.01 }],
      },
      {
        rowId: `s${hour}`,
        partyKind: 'supplier',
        partyId: 'S',
        side: 'sell',
        filledKw: 1 + hour,
        pricePerKwh: 0.1 + hour / 100,
      },
    ],
    meters: [
      {
        participantId: buyer,
        meteredKwh: 1.5 + hour,
        imbalancePricePerKwh: 0.2,
        distributionChargePerKwh: 0.03,
        distributionUtility: 'u',
      },
    ],
  };
}

function journalOverHours(buyer: string, hours: number): Journal {
  const journal = new Journal(sha256);
  for (let hour = 0; hour < hours; hour++) {
    const drafts = settleSlot(slotOutcome(hour, buyer));
    if (!drafts.ok) throw drafts.error;
    expect(journal.post(drafts.value).ok).toBe(true);
  }
  return journal;
}

describe('participant statement', () => {
  it('opening + lines = closing, and the totals by kind are the sums of the lines', () => {
    const journal = journalOverHours('A', 6);
    const statement = participantStatement(
      journal.entries(),
      'A',
      { fromMs: 3 * HOUR_MS, toMs: 6 * HOUR_MS },
      USD,
    );
    const all = participantStatement(journal.entries(), 'A', { fromMs: 0, toMs: 7 * HOUR_MS }, USD);
    const before = participantStatement(journal.entries(), 'A', { fromMs: 0, toMs: 3 * HOUR_MS }, USD);
    const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
    const lineSum = sum(statement.lines.map((l) => l.amountMinor));
    expect(statement.openingBalanceMinor).toBe(before.closingBalanceMinor);
    expect(statement.closingBalanceMinor).toBe(statement.openingBalanceMinor + lineSum);
    expect(sum(Object.values(statement.totalsByKindMinor))).toBe(lineSum);
    expect(Object.keys(statement.totalsByKindMinor).sort()).toEqual(['distribution', 'imbalance', 'trade']);
    expect(statement.lines.at(-1)?.balanceMinor).toBe(statement.closingBalanceMinor);
    // Only entries booked in [from, to): the slot ending at 6 h is booked at 6 h and falls outside.
    expect(new Set(statement.lines.map((l) => l.slotStartMs))).toEqual(
      new Set([2, 3, 4].map((h) => h * HOUR_MS)),
    );
    expect(all.closingBalanceMinor).toBeLessThan(0);
    expect(statement.lines[0]?.tradeIds).toEqual(['b2,x']);
  });

  it('another participant sees none of it', () => {
    const statement = participantStatement(
      journalOverHours('A', 2).entries(),
      'B',
      { fromMs: 0, toMs: 10 * HOUR_MS },
      USD,
    );
    expect(statement).toMatchObject({ openingBalanceMinor: 0, closingBalanceMinor: 0, lines: [] });
  });
});

/** A strict RFC 4180 reader, to check that what we write reads back field for field. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('statement CSV', () => {
  it('formats amounts from integer minor units without floats', () => {
    expect([0, 5, -5, 1234, -1234, 100, 9_007_199_254_740_991].map((m) => formatMinorUnits(m, USD))).toEqual([
      '0.00',
      '0.05',
      '-0.05',
      '12.34',
      '-12.34',
      '1.00',
      '90071992547409.91',
    ]);
    expect(formatMinorUnits(-7, { code: 'JPY', minorUnitsPerMajor: 1 })).toBe('-7');
    expect(formatMinorUnits(1234, { code: 'BHD', minorUnitsPerMajor: 1000 })).toBe('1.234');
  });

  it('escapes hostile ids (RFC 4180) and reads back field for field, with ISO times and offsets', () => {
    expect(csvField('a"b')).toBe('"a""b"');
    const journal = journalOverHours(HOSTILE, 2);
    const statement = participantStatement(journal.entries(), HOSTILE, { fromMs: 0, toMs: 3 * HOUR_MS }, USD);
    const csv = statementCsv(statement, -300);
    expect(csv.endsWith('\r\n')).toBe(true);
    const rows = parseCsv(csv);
    expect(rows[0]).toEqual([
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
    ]);
    expect(rows.every((row) => row.length === 12)).toBe(true);
    expect(rows.length).toBe(statement.lines.length + 3);
    expect(rows[1]).toEqual([
      HOSTILE,
      '',
      '',
      '1969-12-31T19:00:00-05:00',
      '',
      '',
      'opening-balance',
      '',
      '',
      '0.00',
      'USD',
      '',
    ]);
    const first = rows[2] as string[];
    expect(first[0]).toBe(HOSTILE);
    expect(first[1]).toBe('m/0/trade/b0,x');
    expect(first[3]).toBe('1969-12-31T20:00:00-05:00');
    expect(first[7]).toBe(`participant:${HOSTILE}:energy`);
    expect(first[8]).toBe(formatMinorUnits(statement.lines[0]?.amountMinor ?? 0, USD));
    expect(rows.at(-1)?.[9]).toBe(formatMinorUnits(statement.closingBalanceMinor, USD));
  });
});
