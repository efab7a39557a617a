/**
 * Device telemetry in the store: samples arrive in batches and may be resent, so the key (device, time)
 * makes ingestion idempotent (the first sample stored for a key stays). History is bounded by age: the
 * caller prunes samples older than its retention (the API does it after a batch, at most once a minute).
 */
import { sql, type Kysely } from 'kysely';
import type { StoreSchema } from './schema.js';
import { retryOnConflict } from './store-errors.js';

/** One device's state at one time; optional figures are absent where the device has no such quantity. */
export interface DeviceTelemetrySample {
  readonly deviceId: string;
  readonly timeMs: number;
  /** Average power over the interval starting at timeMs, load reference (positive = consumption). */
  readonly powerKw: number;
  /** A short word: on, off, charging, discharging, idle, heating, cooling. */
  readonly state?: string;
  readonly socPct?: number;
  readonly indoorTempF?: number;
  readonly setpointF?: number;
  readonly comfortLowF?: number;
  readonly comfortHighF?: number;
  readonly tankTempF?: number;
  readonly bidPricePerKwh?: number;
  /** Load reference: positive bought, negative offered. */
  readonly bidQuantityKw?: number;
  /** The price the device expected when it bid (the mean of recent clearing prices it bid against). */
  readonly expectedPricePerKwh?: number;
  readonly clearingPricePerKwh?: number;
}

interface DeviceTelemetryTable {
  device_id: string;
  time_ms: number;
  power_kw: number;
  state: string | null;
  soc_pct: number | null;
  indoor_temp_f: number | null;
  setpoint_f: number | null;
  comfort_low_f: number | null;
  comfort_high_f: number | null;
  tank_temp_f: number | null;
  bid_price_per_kwh: number | null;
  bid_quantity_kw: number | null;
  expected_price_per_kwh: number | null;
  clearing_price_per_kwh: number | null;
  received_ms: number;
}

type TelemetrySchema = StoreSchema & { device_telemetry: DeviceTelemetryTable };
type Db = Kysely<StoreSchema>;

/** The table is this module's own: the shared store schema type stays as it is. */
function telemetryTables(db: Db): Kysely<TelemetrySchema> {
  return db.withTables<{ device_telemetry: DeviceTelemetryTable }>();
}

/** The optional figures: sample field and column, in one list so writes and reads cannot drift. */
const FIGURES = [
  ['socPct', 'soc_pct'],
  ['indoorTempF', 'indoor_temp_f'],
  ['setpointF', 'setpoint_f'],
  ['comfortLowF', 'comfort_low_f'],
  ['comfortHighF', 'comfort_high_f'],
  ['tankTempF', 'tank_temp_f'],
  ['bidPricePerKwh', 'bid_price_per_kwh'],
  ['bidQuantityKw', 'bid_quantity_kw'],
  ['expectedPricePerKwh', 'expected_price_per_kwh'],
  ['clearingPricePerKwh', 'clearing_price_per_kwh'],
] as const;

/** Fifteen parameters a row: 1,000 rows stay well under SQLite's 32,766 bound parameters. */
export const SAMPLES_PER_STATEMENT = 1_000;

/**
 * Stores the samples (checked by the caller: devices exist, figures finite and in range) in one
 * transaction and returns how many were new; a sample whose device and time are stored already is dropped.
 */
export async function insertDeviceTelemetry(
  db: Db,
  samples: readonly DeviceTelemetrySample[],
  receivedMs: number,
): Promise<number> {
  if (samples.length === 0) return 0;
  // Sorted by key, concurrent batches lock keys in the same order (no deadlock on PostgreSQL); the sort
  // is stable, so a key repeated in the batch keeps its first sample.
  const rows = samples
    .map((s) => toRow(s, receivedMs))
    .sort((a, b) => (a.device_id < b.device_id ? -1 : a.device_id > b.device_id ? 1 : a.time_ms - b.time_ms));
  return retryOnConflict(() =>
    telemetryTables(db)
      .transaction()
      .execute(async (trx) => {
        let inserted = 0;
        for (let start = 0; start < rows.length; start += SAMPLES_PER_STATEMENT) {
          const result = await trx
            .insertInto('device_telemetry')
            .values(rows.slice(start, start + SAMPLES_PER_STATEMENT))
            .onConflict((oc) => oc.columns(['device_id', 'time_ms']).doNothing())
            .executeTakeFirst();
          inserted += Number(result.numInsertedOrUpdatedRows ?? 0n);
        }
        return inserted;
      }),
  );
}

/** Deletes samples taken before `olderThanMs`; returns how many went. Safe from several instances at once. */
export async function pruneDeviceTelemetry(db: Db, olderThanMs: number): Promise<number> {
  const result = await telemetryTables(db)
    .deleteFrom('device_telemetry')
    .where('time_ms', '<', olderThanMs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** One device's samples in time order, from `fromMs` (inclusive) to `toMs` (exclusive), at most `limit`. */
export async function readDeviceTelemetry(
  db: Db,
  deviceId: string,
  range: { readonly fromMs: number; readonly toMs: number; readonly limit: number },
): Promise<DeviceTelemetrySample[]> {
  const rows = await telemetryTables(db)
    .selectFrom('device_telemetry')
    .selectAll()
    .where('device_id', '=', deviceId)
    .where('time_ms', '>=', range.fromMs)
    .where('time_ms', '<', range.toMs)
    .orderBy('time_ms')
    .limit(range.limit)
    .execute();
  return rows.map(toSample);
}

export interface LatestTelemetryQuery {
  /** Owners whose devices are listed: 'all', or these participants only. */
  readonly participants: 'all' | readonly string[];
  readonly kind?: string | undefined;
  /** Only devices whose id sorts after this one (the previous page's last id). */
  readonly afterId?: string | undefined;
  readonly limit: number;
}

export interface LatestTelemetry {
  readonly deviceId: string;
  readonly participantId: string;
  readonly kind: string;
  readonly sample: DeviceTelemetrySample;
}

/** Each device's newest sample, devices in id order; devices that never reported are left out. */
export async function latestDeviceTelemetry(db: Db, query: LatestTelemetryQuery): Promise<LatestTelemetry[]> {
  if (query.participants !== 'all' && query.participants.length === 0) return [];
  let select = telemetryTables(db)
    .selectFrom('devices as d')
    .innerJoin('device_telemetry as t', 't.device_id', 'd.id')
    .selectAll('t')
    .select(['d.participant_id as owner_id', 'd.kind as device_kind'])
    // Per device through the primary key: no scan of the whole history.
    .where(
      't.time_ms',
      '=',
      sql<number>`(SELECT max(x.time_ms) FROM device_telemetry x WHERE x.device_id = d.id)`,
    )
    .orderBy('d.id')
    .limit(query.limit);
  if (query.participants !== 'all') select = select.where('d.participant_id', 'in', [...query.participants]);
  if (query.kind !== undefined) select = select.where('d.kind', '=', query.kind);
  if (query.afterId !== undefined) select = select.where('d.id', '>', query.afterId);
  const rows = await select.execute();
  return rows.map((row) => ({
    deviceId: row.device_id,
    participantId: row.owner_id,
    kind: row.device_kind,
    sample: toSample(row),
  }));
}

/** The owner and kind of each registered device among `ids`; unknown ids are absent from the map. */
export async function devicesById(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { readonly participantId: string; readonly kind: string }>> {
  const found = new Map<string, { readonly participantId: string; readonly kind: string }>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db
      .selectFrom('devices')
      .select(['id', 'participant_id', 'kind'])
      .where('id', 'in', unique.slice(start, start + 500))
      .execute();
    for (const row of rows) found.set(row.id, { participantId: row.participant_id, kind: row.kind });
  }
  return found;
}

export async function countDeviceTelemetry(db: Db): Promise<number> {
  const row = await telemetryTables(db)
    .selectFrom('device_telemetry')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

function toRow(s: DeviceTelemetrySample, receivedMs: number): DeviceTelemetryTable {
  const row: DeviceTelemetryTable = {
    device_id: s.deviceId,
    time_ms: s.timeMs,
    power_kw: s.powerKw,
    state: s.state ?? null,
    soc_pct: null,
    indoor_temp_f: null,
    setpoint_f: null,
    comfort_low_f: null,
    comfort_high_f: null,
    tank_temp_f: null,
    bid_price_per_kwh: null,
    bid_quantity_kw: null,
    expected_price_per_kwh: null,
    clearing_price_per_kwh: null,
    received_ms: receivedMs,
  };
  for (const [field, column] of FIGURES) row[column] = s[field] ?? null;
  return row;
}

function toSample(row: DeviceTelemetryTable): DeviceTelemetrySample {
  const sample: Record<string, unknown> = {
    deviceId: row.device_id,
    timeMs: Number(row.time_ms),
    powerKw: Number(row.power_kw),
  };
  if (row.state !== null) sample.state = row.state;
  for (const [field, column] of FIGURES) {
    const value = row[column];
    if (value !== null) sample[field] = Number(value);
  }
  return sample as unknown as DeviceTelemetrySample;
}
