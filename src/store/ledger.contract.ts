/** The ledger part of the store contract: one journal, so one ordered test. */
import { expect, it } from 'vitest';
import { errorCode, expectOk, type ContractContext } from './contract-context.js';
import * as ledgerRepository from './ledger-repository.js';
import {
  appendLedgerEntries,
  appendLedgerEntry,
  lastLedgerEntry,
  readLedgerEntries,
  type LedgerEntryRecord,
} from './ledger-repository.js';

const GENESIS = '0'.repeat(64);

function entry(
  sequence: number,
  previousHash: string,
  over: Partial<LedgerEntryRecord> = {},
): LedgerEntryRecord {
  return {
    sequence,
    entryId: `e${sequence}`,
    previousHash,
    hash: `h${sequence}`.padEnd(64, 'f'),
    timeMs: 32_503_680_000_000 + sequence,
    body: {
      postings: [
        { account: 'participant:p1:energy', amountMinor: -Number.MAX_SAFE_INTEGER, currency: 'USD' },
        { account: 'market:clearing', amountMinor: Number.MAX_SAFE_INTEGER, currency: 'USD' },
      ],
    },
    ...over,
  };
}

export function describeLedgerContract(ctx: ContractContext): void {
  it('appends ledger entries in order only, rejects gaps, repeats and broken chains, and reads them back', async () => {
    const db = ctx.store().db;
    expect(await lastLedgerEntry(db)).toBeUndefined();
    expect(errorCode(await appendLedgerEntry(db, entry(1, GENESIS)))).toBe('TE_ERR_LEDGER_SEQUENCE');
    const e0 = entry(0, GENESIS);
    expect(expectOk(await appendLedgerEntry(db, e0))).toEqual({ appended: 1 });
    const e1 = entry(1, e0.hash);
    const e2 = entry(2, e1.hash);
    expect(expectOk(await appendLedgerEntries(db, [e1, e2]))).toEqual({ appended: 2 });
    expect(errorCode(await appendLedgerEntry(db, e2))).toBe('TE_ERR_LEDGER_DUPLICATE_ENTRY');
    expect(errorCode(await appendLedgerEntry(db, entry(2, e1.hash, { entryId: 'fresh' })))).toBe(
      'TE_ERR_LEDGER_SEQUENCE',
    );
    expect(errorCode(await appendLedgerEntry(db, entry(4, e2.hash)))).toBe('TE_ERR_LEDGER_SEQUENCE');
    expect(errorCode(await appendLedgerEntry(db, entry(3, 'not-the-last-hash')))).toBe(
      'TE_ERR_LEDGER_SEQUENCE',
    );
    // A bad entry anywhere in a batch leaves the journal as it was.
    const e3 = entry(3, e2.hash);
    expect(errorCode(await appendLedgerEntries(db, [e3, entry(5, e3.hash)]))).toBe('TE_ERR_LEDGER_SEQUENCE');
    expect((await lastLedgerEntry(db))?.sequence).toBe(2);
    expect(await readLedgerEntries(db)).toEqual([e0, e1, e2]);
    expect(await readLedgerEntries(db, { fromSequence: 1, limit: 1 })).toEqual([e1]);
  });

  it('lets exactly one of several concurrent appenders of the next sequence win', async () => {
    const db = ctx.store().db;
    const last = await lastLedgerEntry(db);
    const next = (last?.sequence ?? -1) + 1;
    const previous = last?.hash ?? GENESIS;
    const attempts = await Promise.all(
      Array.from({ length: 6 }, (_, k) =>
        appendLedgerEntry(db, entry(next, previous, { entryId: `race-${k}` })),
      ),
    );
    expect(attempts.filter((a) => a.ok)).toHaveLength(1);
    expect(attempts.filter((a) => !a.ok).map(errorCode)).toEqual(Array(5).fill('TE_ERR_LEDGER_SEQUENCE'));
    const all = await readLedgerEntries(db);
    expect(all.map((e) => e.sequence)).toEqual(Array.from({ length: next + 1 }, (_, k) => k));
  });

  it('offers no way to change or remove a ledger entry', () => {
    const exported = Object.keys(ledgerRepository);
    expect(exported.filter((name) => /update|delete|remove|replace|truncate/i.test(name))).toEqual([]);
  });
}
