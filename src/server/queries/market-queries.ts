/** Slot listings for the API: the lifecycle of each slot with its order count. */
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import { toLifecycleSlot, type LifecycleSlot } from '../../store/slot-lifecycle-repository.js';

export type SlotView = LifecycleSlot;

/** Slots starting in [fromMs, toMs), earliest first. */
export async function listSlots(
  db: Kysely<StoreSchema>,
  marketId: string,
  range: { readonly fromMs: number; readonly toMs: number; readonly limit: number },
): Promise<SlotView[]> {
  const rows = await db
    .selectFrom('slots')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('start_ms', '>=', range.fromMs)
    .where('start_ms', '<', range.toMs)
    .orderBy('start_ms')
    .limit(range.limit)
    .execute();
  return rows.map(toLifecycleSlot);
}
