/**
 * The ledger journal's rows. Append-only: this module offers append and read, never update or delete.
 * An append must continue the journal exactly: the next sequence (0 for the first entry), an unused
 * entry id and the previous entry's hash; anything else is a coded error and nothing of the batch lands.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { fromJsonText, toJsonText } from './json-column.js';
import type { LedgerEntryTable, StoreSchema } from './schema.js';
import { isUniqueViolation } from './store-errors.js';

export interface LedgerEntryRecord {
  readonly sequence: number;
  readonly entryId: string;
  readonly previousHash: string;
  readonly hash: string;
  /** When the entry was booked, epoch ms. */
  readonly timeMs: number;
  /** The entry as the ledger serialised it (postings, metadata); stored as JSON text. */
  readonly body: unknown;
}

type Db = Kysely<StoreSchema>;

export async function appendLedgerEntries(
  db: Db,
  entries: readonly LedgerEntryRecord[],
): Promise<Result<{ readonly appended: number }>> {
  if (entries.length === 0) return ok({ appended: 0 });
  try {
    return await db.transaction().execute(async (trx) => {
      const last = await lastRow(trx);
      const problem = await checkContinuation(trx, last, entries);
      if (problem !== undefined) return err(problem);
      await trx.insertInto('ledger_entries').values(entries.map(toRow)).execute();
      return ok({ appended: entries.length });
    });
  } catch (error) {
    // Another writer appended between our read and our insert: report what the journal now says.
    if (!isUniqueViolation(error)) throw error;
    const taken = await db
      .selectFrom('ledger_entries')
      .select('entry_id')
      .where(
        'entry_id',
        'in',
        entries.map((e) => e.entryId),
      )
      .executeTakeFirst();
    if (taken !== undefined) return err(duplicate(taken.entry_id));
    return err(outOfSequence(entries[0]?.sequence ?? 0, 'another writer appended that sequence first'));
  }
}

export function appendLedgerEntry(
  db: Db,
  entry: LedgerEntryRecord,
): Promise<Result<{ readonly appended: number }>> {
  return appendLedgerEntries(db, [entry]);
}

/** Entries in sequence order, from `fromSequence` (inclusive), at most `limit`. */
export async function readLedgerEntries(
  db: Db,
  options: { readonly fromSequence?: number; readonly limit?: number } = {},
): Promise<LedgerEntryRecord[]> {
  const rows = await db
    .selectFrom('ledger_entries')
    .selectAll()
    .where('sequence', '>=', options.fromSequence ?? 0)
    .orderBy('sequence')
    .$if(options.limit !== undefined, (q) => q.limit(options.limit ?? 0))
    .execute();
  return rows.map(fromRow);
}

export async function lastLedgerEntry(db: Db): Promise<LedgerEntryRecord | undefined> {
  const row = await lastRow(db);
  return row === undefined ? undefined : fromRow(row);
}

function lastRow(db: Db): Promise<LedgerEntryTable | undefined> {
  return db.selectFrom('ledger_entries').selectAll().orderBy('sequence', 'desc').limit(1).executeTakeFirst();
}

async function checkContinuation(
  db: Db,
  last: LedgerEntryTable | undefined,
  entries: readonly LedgerEntryRecord[],
): Promise<TeError | undefined> {
  const ids = entries.map((e) => e.entryId);
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return duplicate(id);
    seen.add(id);
  }
  const used = await db
    .selectFrom('ledger_entries')
    .select('entry_id')
    .where('entry_id', 'in', ids)
    .executeTakeFirst();
  if (used !== undefined) return duplicate(used.entry_id);
  let expectedSequence = last === undefined ? 0 : last.sequence + 1;
  let expectedPrevious = last?.hash;
  for (const entry of entries) {
    if (!Number.isSafeInteger(entry.timeMs)) {
      return new TeError('TE_ERR_VALIDATION', 'a ledger entry time must be integer epoch milliseconds', {
        path: `${entry.entryId}.timeMs`,
      });
    }
    if (entry.sequence !== expectedSequence) {
      return outOfSequence(entry.sequence, `the journal's next sequence is ${expectedSequence}`);
    }
    if (expectedPrevious !== undefined && entry.previousHash !== expectedPrevious) {
      return outOfSequence(entry.sequence, 'its previous hash is not the hash of the last entry');
    }
    expectedSequence += 1;
    expectedPrevious = entry.hash;
  }
  return undefined;
}

function toRow(entry: LedgerEntryRecord): LedgerEntryTable {
  return {
    sequence: entry.sequence,
    entry_id: entry.entryId,
    previous_hash: entry.previousHash,
    hash: entry.hash,
    time_ms: entry.timeMs,
    body: toJsonText(entry.body),
  };
}

function fromRow(row: LedgerEntryTable): LedgerEntryRecord {
  return {
    sequence: row.sequence,
    entryId: row.entry_id,
    previousHash: row.previous_hash,
    hash: row.hash,
    timeMs: row.time_ms,
    body: fromJsonText<unknown>(row.body),
  };
}

function duplicate(entryId: string): TeError {
  return new TeError('TE_ERR_LEDGER_DUPLICATE_ENTRY', `ledger entry '${entryId}' was already appended`, {
    path: entryId,
    hint: 'an entry is appended once; read the journal to see what it holds',
  });
}

function outOfSequence(sequence: number, why: string): TeError {
  return new TeError(
    'TE_ERR_LEDGER_SEQUENCE',
    `ledger entry ${sequence} does not continue the journal: ${why}`,
    {
      path: `sequence ${sequence}`,
      hint: 'read the last entry and append after it, without gaps',
    },
  );
}
