/**
 * Meter readings arrive in batches and may be resent (a device retries after a lost acknowledgement).
 * The key (meter, time) makes ingestion idempotent: the first reading stored for a key stays, later ones
 * are dropped, and the result says how many rows were new.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { MeterReadingTable, StoreSchema } from './schema.js';
import { retryOnConflict } from './store-errors.js';

export interface MeterReading {
  /** A device or premises id. */
  readonly meterId: string;
  readonly timeMs: number;
  readonly energyWh: number;
}

export interface IngestOutcome {
  readonly received: number;
  /** Rows that were not stored before: `received - inserted` were resends or repeats in the batch. */
  readonly inserted: number;
}

/** Three parameters a row: well under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters. */
export const READINGS_PER_STATEMENT = 2_000;

export async function ingestMeterReadings(
  db: Kysely<StoreSchema>,
  readings: readonly MeterReading[],
): Promise<Result<IngestOutcome>> {
  const problem = checkReadings(readings);
  if (problem !== undefined) return err(problem);
  if (readings.length === 0) return ok({ received: 0, inserted: 0 });
  const inserted = await retryOnConflict(() =>
    db.transaction().execute((trx) => insertMeterReadingsIn(trx, readings)),
  );
  return ok({ received: readings.length, inserted });
}

/**
 * Inserts readings inside the caller's transaction (unchecked: check them first) and returns how many
 * were new; a reading whose meter and time are stored already is dropped. For writes that must commit
 * with something else, such as an OpenADR report and its readings.
 */
export async function insertMeterReadingsIn(
  trx: Kysely<StoreSchema>,
  readings: readonly MeterReading[],
): Promise<number> {
  // Sorted by key, every concurrent batch locks keys in the same order: no deadlock on PostgreSQL.
  // The sort is stable, so a key repeated in the batch still keeps its first reading.
  const rows: MeterReadingTable[] = readings
    .map((r) => ({ meter_id: r.meterId, time_ms: r.timeMs, energy_wh: r.energyWh }))
    .sort((a, b) => (a.meter_id < b.meter_id ? -1 : a.meter_id > b.meter_id ? 1 : a.time_ms - b.time_ms));
  let inserted = 0;
  for (let start = 0; start < rows.length; start += READINGS_PER_STATEMENT) {
    const result = await trx
      .insertInto('meter_readings')
      .values(rows.slice(start, start + READINGS_PER_STATEMENT))
      .onConflict((oc) => oc.columns(['meter_id', 'time_ms']).doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
  }
  return inserted;
}

/** Readings of one meter in time order, from `fromMs` (inclusive) to `toMs` (exclusive). */
export async function readMeterReadings(
  db: Kysely<StoreSchema>,
  meterId: string,
  fromMs: number,
  toMs: number,
): Promise<MeterReading[]> {
  const rows = await db
    .selectFrom('meter_readings')
    .selectAll()
    .where('meter_id', '=', meterId)
    .where('time_ms', '>=', fromMs)
    .where('time_ms', '<', toMs)
    .orderBy('time_ms')
    .execute();
  return rows.map((r) => ({ meterId: r.meter_id, timeMs: r.time_ms, energyWh: r.energy_wh }));
}

export async function countMeterReadings(db: Kysely<StoreSchema>): Promise<number> {
  const row = await db
    .selectFrom('meter_readings')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function checkReadings(readings: readonly MeterReading[]): TeError | undefined {
  for (const [index, r] of readings.entries()) {
    if (typeof r.meterId !== 'string' || r.meterId === '') {
      return invalid(`readings[${index}].meterId`, 'a meter id must be a non-empty string');
    }
    if (!Number.isSafeInteger(r.timeMs)) {
      return invalid(`readings[${index}].timeMs`, 'a reading time must be integer epoch milliseconds');
    }
    if (!Number.isSafeInteger(r.energyWh)) {
      return invalid(`readings[${index}].energyWh`, 'energy must be a safe integer number of Wh');
    }
  }
  return undefined;
}

function invalid(path: string, message: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, { path, hint: 'fix the reading and resend the batch' });
}
