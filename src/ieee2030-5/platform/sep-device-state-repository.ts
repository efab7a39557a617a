/**
 * What IEEE 2030.5 devices report, in the store: their DERControlResponses (one row per device, control
 * and status, so a resend is acknowledged without a second row; pruned by age and by count per device)
 * and the latest DER document of each kind per device (upserted).
 */
import { sql, type Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import type { SepDerDocumentKind } from '../server/registry.js';

interface SepControlResponseTable {
  device_id: string;
  control_mrid: string;
  status: number;
  response_time_s: number | null;
  received_ms: number;
}

interface SepDerDocumentTable {
  device_id: string;
  kind: string;
  body: string;
  updated_ms: number;
}

type StateSchema = {
  sep_control_responses: SepControlResponseTable;
  sep_der_documents: SepDerDocumentTable;
};
type Db = Kysely<StoreSchema>;

/** The tables are this module's own: the shared store schema type stays as it is. */
function stateTables(db: Db): Kysely<StateSchema> {
  return db.withTables<StateSchema>() as unknown as Kysely<StateSchema>;
}

export interface StoredControlResponse {
  readonly deviceId: string;
  /** The mRID of the DERControl answered, as the device sent it (upper-case hex). */
  readonly controlMRID: string;
  readonly status: number;
  /** The response's createdDateTime in ms, when the device sent one. */
  readonly responseTimeMs?: number;
  readonly receivedMs: number;
}

export interface StoredDerDocument {
  readonly kind: SepDerDocumentKind;
  readonly document: unknown;
  readonly updatedMs: number;
}

/** The latest year a response time may name (9999-12-31), in seconds: beyond it the value is dropped. */
const MAX_RESPONSE_TIME_S = 253_402_300_799;

/** Stores a response; false when the same device already gave this control this status (a resend). */
export async function insertControlResponse(
  db: Db,
  response: Omit<StoredControlResponse, 'responseTimeMs'> & { readonly responseTimeS?: number | undefined },
): Promise<boolean> {
  const timeS = response.responseTimeS;
  const plausible =
    timeS !== undefined && Number.isSafeInteger(timeS) && timeS >= 0 && timeS <= MAX_RESPONSE_TIME_S;
  const inserted = await stateTables(db)
    .insertInto('sep_control_responses')
    .values({
      device_id: response.deviceId,
      control_mrid: response.controlMRID.toUpperCase(),
      status: response.status,
      response_time_s: plausible ? timeS : null,
      received_ms: response.receivedMs,
    })
    .onConflict((c) => c.columns(['device_id', 'control_mrid', 'status']).doNothing())
    .executeTakeFirst();
  return Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
}

export interface ControlResponsePage {
  readonly limit: number;
  /** Only responses received after this time (epoch ms, exclusive). */
  readonly afterMs?: number | undefined;
  /** Only responses received before this time (epoch ms, exclusive): the next page back in time. */
  readonly beforeMs?: number | undefined;
}

/** A device's responses, newest first. */
export async function listControlResponses(
  db: Db,
  deviceId: string,
  page: ControlResponsePage,
): Promise<StoredControlResponse[]> {
  let query = stateTables(db)
    .selectFrom('sep_control_responses')
    .selectAll()
    .where('device_id', '=', deviceId)
    .orderBy('received_ms', 'desc')
    .orderBy('control_mrid', 'desc')
    .orderBy('status', 'desc')
    .limit(page.limit);
  if (page.afterMs !== undefined) query = query.where('received_ms', '>', page.afterMs);
  if (page.beforeMs !== undefined) query = query.where('received_ms', '<', page.beforeMs);
  const rows = await query.execute();
  return rows.map((row) => ({
    deviceId: row.device_id,
    controlMRID: row.control_mrid,
    status: Number(row.status),
    ...(row.response_time_s === null ? {} : { responseTimeMs: Number(row.response_time_s) * 1000 }),
    receivedMs: Number(row.received_ms),
  }));
}

/**
 * Deletes responses received before `olderThanMs`, then each device's beyond its newest `maxPerDevice`.
 * Returns how many rows went. Safe to run from several instances at once.
 */
export async function pruneControlResponses(
  db: Db,
  bounds: { readonly olderThanMs: number; readonly maxPerDevice: number },
): Promise<number> {
  const old = await stateTables(db)
    .deleteFrom('sep_control_responses')
    .where('received_ms', '<', bounds.olderThanMs)
    .executeTakeFirst();
  // Row values and window functions: PostgreSQL, and SQLite since 3.25 (better-sqlite3 bundles newer).
  const excess = await sql`
    DELETE FROM sep_control_responses
    WHERE (device_id, control_mrid, status) IN (
      SELECT device_id, control_mrid, status FROM (
        SELECT device_id, control_mrid, status,
          row_number() OVER (
            PARTITION BY device_id ORDER BY received_ms DESC, control_mrid DESC, status DESC
          ) AS newest
        FROM sep_control_responses
        WHERE device_id IN (
          SELECT device_id FROM sep_control_responses GROUP BY device_id HAVING count(*) > ${bounds.maxPerDevice}
        )
      ) ranked
      WHERE newest > ${bounds.maxPerDevice}
    )`.execute(db);
  return Number(old.numDeletedRows) + Number(excess.numAffectedRows ?? 0);
}

/** Replaces the device's document of this kind. */
export async function upsertDerDocument(
  db: Db,
  deviceId: string,
  kind: SepDerDocumentKind,
  document: unknown,
  updatedMs: number,
): Promise<void> {
  const body = JSON.stringify(document);
  await stateTables(db)
    .insertInto('sep_der_documents')
    .values({ device_id: deviceId, kind, body, updated_ms: updatedMs })
    .onConflict((c) => c.columns(['device_id', 'kind']).doUpdateSet({ body, updated_ms: updatedMs }))
    .execute();
}

/** The device's documents of these kinds (all when not given) that it has PUT. */
export async function listDerDocuments(
  db: Db,
  deviceId: string,
  kinds?: readonly SepDerDocumentKind[],
): Promise<StoredDerDocument[]> {
  let query = stateTables(db)
    .selectFrom('sep_der_documents')
    .selectAll()
    .where('device_id', '=', deviceId)
    .orderBy('kind');
  if (kinds !== undefined) {
    if (kinds.length === 0) return [];
    query = query.where('kind', 'in', [...kinds]);
  }
  const rows = await query.execute();
  return rows.map((row) => ({
    kind: row.kind as SepDerDocumentKind,
    document: JSON.parse(row.body) as unknown,
    updatedMs: Number(row.updated_ms),
  }));
}
