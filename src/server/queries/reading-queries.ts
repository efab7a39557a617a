/** Readings across all meters in a time range (the anonymised view starts from these). */
import type { Kysely } from 'kysely';
import type { MeterReading } from '../../store/meter-reading-repository.js';
import type { StoreSchema } from '../../store/schema.js';

/** Readings with fromMs <= timeMs < toMs, by time then meter, at most `limit`. */
export async function readAllMeterReadings(
  db: Kysely<StoreSchema>,
  range: { readonly fromMs: number; readonly toMs: number; readonly limit: number },
): Promise<MeterReading[]> {
  const rows = await db
    .selectFrom('meter_readings')
    .selectAll()
    .where('time_ms', '>=', range.fromMs)
    .where('time_ms', '<', range.toMs)
    .orderBy('time_ms')
    .orderBy('meter_id')
    .limit(range.limit)
    .execute();
  return rows.map((r) => ({ meterId: r.meter_id, timeMs: r.time_ms, energyWh: r.energy_wh }));
}
