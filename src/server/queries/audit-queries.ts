/** The audit log from a time on, in write order, a page at a time. */
import type { Kysely } from 'kysely';
import type { StoredAuditRecord } from '../../store/audit-repository.js';
import type { StoreSchema } from '../../store/schema.js';

export async function listAuditSince(
  db: Kysely<StoreSchema>,
  options: { readonly fromMs: number; readonly afterId?: number; readonly limit: number },
): Promise<StoredAuditRecord[]> {
  const rows = await db
    .selectFrom('audit_log')
    .selectAll()
    .where('time_ms', '>=', options.fromMs)
    .$if(options.afterId !== undefined, (q) => q.where('id', '>', options.afterId ?? 0))
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map((r) => ({
    id: Number(r.id),
    timeMs: r.time_ms,
    actor: r.actor,
    action: r.action,
    target: r.target,
    details: JSON.parse(r.details) as unknown,
  }));
}
