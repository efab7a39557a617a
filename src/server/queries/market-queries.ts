/**
 * Slot listings for the API: the lifecycle of each slot and, once cleared, its public outcome (price,
 * traded energy, mechanism), so a price history is one request rather than one per slot.
 */
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import { toLifecycleSlot, type LifecycleSlot } from '../../store/slot-lifecycle-repository.js';

export interface SlotView extends LifecycleSlot {
  /** The clearing price, per kWh in the market's currency; null until the slot has cleared. */
  readonly pricePerKwh: number | null;
  readonly tradedEnergyWh: number | null;
  readonly mechanism: string | null;
}

/** Slots starting in [fromMs, toMs), earliest first. */
export async function listSlots(
  db: Kysely<StoreSchema>,
  marketId: string,
  range: { readonly fromMs: number; readonly toMs: number; readonly limit: number },
): Promise<SlotView[]> {
  const rows = await db
    .selectFrom('slots')
    .leftJoin('clearing_results', (join) =>
      join
        .onRef('clearing_results.market_id', '=', 'slots.market_id')
        .onRef('clearing_results.slot_start_ms', '=', 'slots.start_ms'),
    )
    .selectAll('slots')
    .select([
      'clearing_results.price as cleared_price',
      'clearing_results.traded_energy_wh as cleared_energy_wh',
      'clearing_results.mechanism as cleared_mechanism',
    ])
    .where('slots.market_id', '=', marketId)
    .where('slots.start_ms', '>=', range.fromMs)
    .where('slots.start_ms', '<', range.toMs)
    .orderBy('slots.start_ms')
    .limit(range.limit)
    .execute();
  return rows.map((row) => ({
    ...toLifecycleSlot(row),
    pricePerKwh: row.cleared_price === null ? null : Number(row.cleared_price),
    tradedEnergyWh: row.cleared_energy_wh === null ? null : Number(row.cleared_energy_wh),
    mechanism: row.cleared_mechanism,
  }));
}
