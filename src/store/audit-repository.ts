/**
 * The audit log: who did what to which target, when. Written, read, never changed. Pass a transaction as
 * `db` to write the record with the change it describes (one commit, and no acknowledged change without
 * its record); the order writes take an `audit` hook for that.
 */
import type { Insertable, Kysely } from 'kysely';
import { fromJsonText, toJsonText } from './json-column.js';
import type { AuditLogTable, StoreSchema } from './schema.js';

export interface AuditRecord {
  readonly timeMs: number;
  readonly actor: string;
  readonly action: string;
  readonly target: string;
  readonly details: unknown;
}

export interface StoredAuditRecord extends AuditRecord {
  readonly id: number;
}

/** The row a record is stored as (the id comes from the database). */
export function auditLogRow(record: AuditRecord): Insertable<AuditLogTable> {
  return {
    time_ms: record.timeMs,
    actor: record.actor,
    action: record.action,
    target: record.target,
    details: toJsonText(record.details ?? null),
  };
}

export async function writeAuditRecord(db: Kysely<StoreSchema>, record: AuditRecord): Promise<number> {
  const row = await db
    .insertInto('audit_log')
    .values(auditLogRow(record))
    .returning('id')
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

/** Records in the order they were written, optionally only those about one target. */
export async function listAuditRecords(
  db: Kysely<StoreSchema>,
  options: { readonly target?: string } = {},
): Promise<StoredAuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .$if(options.target !== undefined, (q) => q.where('target', '=', options.target ?? ''))
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    timeMs: r.time_ms,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: fromJsonText<unknown>(r.details),
  }));
}
