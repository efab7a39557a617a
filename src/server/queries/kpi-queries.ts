/**
 * Market KPIs over slots starting in [fromMs, toMs): aggregates only, so every role may read them.
 * Sums run in the database; PostgreSQL returns SUM(bigint) as numeric text, hence the Number()s.
 */
import { sql, type Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';

export interface MarketKpis {
  readonly marketId: string;
  readonly fromMs: number;
  readonly toMs: number;
  readonly slots: number;
  readonly slotsCleared: number;
  readonly slotsSettled: number;
  readonly tradedEnergyWh: number;
  /** Σ price × energy / Σ energy over slots that traded; null when nothing traded. */
  readonly volumeWeightedPricePerKwh: number | null;
  readonly minPricePerKwh: number | null;
  readonly maxPricePerKwh: number | null;
  /** Participants with at least one order in these slots. */
  readonly participants: number;
  /** The largest net import of all premises meters together in one slot, Wh; null without readings. */
  readonly peakCommunityImportWh: number | null;
  readonly peakSlotStartMs: number | null;
  /** Ledger entries booked in [fromMs, toMs). */
  readonly ledgerEntries: number;
}

type Db = Kysely<StoreSchema>;

export async function marketKpis(
  db: Db,
  marketId: string,
  fromMs: number,
  toMs: number,
): Promise<MarketKpis> {
  const slots = await db
    .selectFrom('slots')
    .select((eb) => [
      eb.fn.countAll<number>().as('slots'),
      sql<number>`sum(case when status = 'cleared' then 1 else 0 end)`.as('cleared'),
      sql<number>`sum(case when settled_at_ms is not null then 1 else 0 end)`.as('settled'),
    ])
    .where('market_id', '=', marketId)
    .where('start_ms', '>=', fromMs)
    .where('start_ms', '<', toMs)
    .executeTakeFirstOrThrow();
  const trading = await db
    .selectFrom('clearing_results')
    .select([
      sql<number>`sum(traded_energy_wh)`.as('energy'),
      sql<number>`sum(price * traded_energy_wh)`.as('value'),
      sql<number>`min(price)`.as('minPrice'),
      sql<number>`max(price)`.as('maxPrice'),
    ])
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '>=', fromMs)
    .where('slot_start_ms', '<', toMs)
    .where('traded_energy_wh', '>', 0)
    .executeTakeFirstOrThrow();
  const participants = await db
    .selectFrom('orders')
    .select(sql<number>`count(distinct participant_id)`.as('n'))
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '>=', fromMs)
    .where('slot_start_ms', '<', toMs)
    .executeTakeFirstOrThrow();
  const peak = await db
    .selectFrom('slots as s')
    .innerJoin('meter_readings as r', (join) =>
      join.onRef('r.time_ms', '>=', 's.start_ms').onRef('r.time_ms', '<', 's.end_ms'),
    )
    .innerJoin('participants as p', 'p.id', 'r.meter_id')
    .select(['s.start_ms as startMs', sql<number>`sum(r.energy_wh)`.as('wh')])
    .where('s.market_id', '=', marketId)
    .where('s.start_ms', '>=', fromMs)
    .where('s.start_ms', '<', toMs)
    .groupBy('s.start_ms')
    .orderBy('wh', 'desc')
    .orderBy('s.start_ms')
    .limit(1)
    .executeTakeFirst();
  const ledger = await db
    .selectFrom('ledger_entries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('time_ms', '>=', fromMs)
    .where('time_ms', '<', toMs)
    .executeTakeFirstOrThrow();
  const energy = Number(trading.energy ?? 0);
  return {
    marketId,
    fromMs,
    toMs,
    slots: Number(slots.slots),
    slotsCleared: Number(slots.cleared ?? 0),
    slotsSettled: Number(slots.settled ?? 0),
    tradedEnergyWh: energy,
    volumeWeightedPricePerKwh: energy > 0 ? Number(trading.value) / energy : null,
    minPricePerKwh: trading.minPrice === null ? null : Number(trading.minPrice),
    maxPricePerKwh: trading.maxPrice === null ? null : Number(trading.maxPrice),
    participants: Number(participants.n),
    peakCommunityImportWh: peak === undefined ? null : Number(peak.wh),
    peakSlotStartMs: peak === undefined ? null : Number(peak.startMs),
    ledgerEntries: Number(ledger.n),
  };
}
