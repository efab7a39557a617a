/**
 * Ledger rows for one participant's statement. The entries' postings live in a JSON column, so the
 * database narrows to entries that mention one of the participant's accounts (a text match, a
 * superset) and the ledger's own statement function decides exactly.
 */
import { sql, type Kysely } from 'kysely';
import { participantAccountPrefix, type LedgerEntry } from '../../ledger/journal-entry.js';
import type { StoreSchema } from '../../store/schema.js';

/** Entries booked before `toMs` that mention the participant, in sequence order (opening balance included). */
export async function ledgerEntriesForParticipant(
  db: Kysely<StoreSchema>,
  participantId: string,
  toMs: number,
): Promise<LedgerEntry[]> {
  const needle = `%"${escapeLike(participantAccountPrefix(participantId))}%`;
  const rows = await db
    .selectFrom('ledger_entries')
    .select('body')
    .where('time_ms', '<', toMs)
    .where(sql<boolean>`body like ${needle} escape '\\'`)
    .orderBy('sequence')
    .execute();
  return rows.map((r) => JSON.parse(r.body) as LedgerEntry);
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
