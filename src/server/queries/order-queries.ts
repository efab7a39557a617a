/** Order listings for the API: any mix of market, slot and participants, live and cancelled. */
import type { Kysely } from 'kysely';
import { toStoredOrder, type StoredOrder } from '../../store/order-rows.js';
import type { StoreSchema } from '../../store/schema.js';

export async function listOrders(
  db: Kysely<StoreSchema>,
  filter: {
    readonly marketId: string;
    readonly slotStartMs?: number;
    /** Only these participants; undefined for all. */
    readonly participantIds?: readonly string[];
    readonly limit: number;
  },
): Promise<StoredOrder[]> {
  const ids = filter.participantIds;
  if (ids !== undefined && ids.length === 0) return [];
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('market_id', '=', filter.marketId)
    .$if(filter.slotStartMs !== undefined, (q) => q.where('slot_start_ms', '=', filter.slotStartMs ?? 0))
    .$if(ids !== undefined, (q) => q.where('participant_id', 'in', ids ?? []))
    .orderBy('slot_start_ms')
    .orderBy('sequence')
    .limit(filter.limit)
    .execute();
  return rows.map(toStoredOrder);
}
