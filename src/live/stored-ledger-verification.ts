/**
 * Verifies the journal in the store page by page (`tenet ledger verify` semantics: hash chain, balance per
 * currency, energy bought = sold per slot) with memory bounded by the page, not the journal: reading a
 * million-entry journal into memory first took gigabytes and most of the time in garbage collection
 * (docs/benchmarks.md, "Settlement").
 */
import type { Kysely } from 'kysely';
import type { LedgerEntry, Sha256 } from '../ledger/journal-entry.js';
import { JournalVerifier, type VerifyReport } from '../ledger/verify-journal.js';
import { readLedgerEntries } from '../store/ledger-repository.js';
import type { StoreSchema } from '../store/schema.js';

export const VERIFY_PAGE_ENTRIES = 10_000;

export async function verifyStoredLedger(
  db: Kysely<StoreSchema>,
  sha256: Sha256,
  pageEntries = VERIFY_PAGE_ENTRIES,
): Promise<VerifyReport> {
  const verifier = new JournalVerifier(sha256);
  let fromSequence = 0;
  for (;;) {
    const page = await readLedgerEntries(db, { fromSequence, limit: pageEntries });
    // The store keeps each entry as the ledger serialised it; the verifier re-derives every hash from it.
    for (const record of page) verifier.add(record.body as LedgerEntry);
    const last = page.at(-1);
    if (last === undefined || page.length < pageEntries) break;
    fromSequence = last.sequence + 1;
  }
  return verifier.report();
}
