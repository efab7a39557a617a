/** Slot listings for the API: the lifecycle of each slot with its order count. */
import type { Kysely } from 'kysely';
import type { SlotStatus, StoreSchema } from '../../store/schema.js';

export interface SlotView {
  readonly marketId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly gateClosureMs: number;
  readonly status: SlotStatus;
  readonly clearedAtMs: number | null;
  readonly settledAtMs: number | null;
}

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
  return rows.map((r) => ({
    marketId: r.market_id,
    startMs: r.start_ms,
    endMs: r.end_ms,
    gateClosureMs: r.gate_closure_ms,
    status: r.status,
    clearedAtMs: r.cleared_at_ms,
    settledAtMs: r.settled_at_ms,
  }));
}
