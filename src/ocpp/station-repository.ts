/**
 * OCPP charging stations: who may connect (station id and a salted hash of its Basic-auth password), whose
 * meter its energy counts on (a participant), and the last energy register value seen, so register
 * differences continue across reconnects and restarts instead of restarting from each new connection.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { DECOY_SECRET_HASH, hashClientSecret, verifyClientSecret } from '../server/auth/client-secrets.js';
import type { StoreSchema } from '../store/schema.js';
import { isUniqueViolation } from '../store/store-errors.js';

export interface OcppStationTable {
  station_id: string;
  participant_id: string;
  password_hash: string;
  created_ms: number;
  /** Energy.Active.Import.Register in whole Wh at register_ms; null before the first sample. */
  register_wh: number | null;
  register_ms: number | null;
}

type OcppSchema = {
  ocpp_stations: OcppStationTable;
};

type Db = Kysely<StoreSchema>;

export interface OcppStation {
  readonly stationId: string;
  readonly participantId: string;
  readonly registerWh: number | undefined;
  readonly registerMs: number | undefined;
}

/** The table is this module's own: the shared store schema type stays as it is. */
function stations(db: Db): Kysely<OcppSchema> {
  return db.withTables<OcppSchema>() as unknown as Kysely<OcppSchema>;
}

/**
 * OCPP 2.0.1 (security part A00.FR.205) allows 16 to 40 characters in a Basic-auth password; the id
 * becomes a URL path segment and the Basic-auth user name, so it may not contain ':' or '/'.
 */
const STATION_ID = /^[A-Za-z0-9._~-]{1,48}$/;

export async function registerStation(
  db: Db,
  station: { stationId: string; participantId: string; password: string },
  nowMs: number,
): Promise<void> {
  if (!STATION_ID.test(station.stationId)) {
    throw new TeError('TE_ERR_VALIDATION', `station id '${station.stationId}' is not allowed`, {
      path: 'stationId',
      hint: 'use 1 to 48 letters, digits, ".", "_", "~" or "-"',
    });
  }
  if (station.password.length < 16 || station.password.length > 40) {
    throw new TeError('TE_ERR_VALIDATION', 'a station password has 16 to 40 characters', {
      path: 'password',
      hint: 'OCPP 2.0.1 security profile 1 requires a 16 to 40 character password',
    });
  }
  try {
    await stations(db)
      .insertInto('ocpp_stations')
      .values({
        station_id: station.stationId,
        participant_id: station.participantId,
        password_hash: await hashClientSecret(station.password),
        created_ms: nowMs,
        register_wh: null,
        register_ms: null,
      })
      .execute();
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    throw new TeError(
      'TE_ERR_ALREADY_EXISTS',
      `station '${station.stationId}' or a station of participant '${station.participantId}' is already registered`,
      {
        path: 'stationId',
        hint: 'choose another station id; a participant has one station, whose register is its meter',
      },
    );
  }
}

/** The station when the password is its own; undefined for an unknown station or a wrong password. */
export async function authenticateStation(
  db: Db,
  stationId: string,
  password: string,
): Promise<OcppStation | undefined> {
  const row = await stations(db)
    .selectFrom('ocpp_stations')
    .selectAll()
    .where('station_id', '=', stationId)
    .executeTakeFirst();
  // An unknown station costs the same check as a known one: response times do not reveal station ids.
  const matches = await verifyClientSecret(password, row?.password_hash ?? DECOY_SECRET_HASH);
  return row === undefined || !matches ? undefined : toStation(row);
}

export async function getStation(db: Db, stationId: string): Promise<OcppStation | undefined> {
  const row = await stations(db)
    .selectFrom('ocpp_stations')
    .selectAll()
    .where('station_id', '=', stationId)
    .executeTakeFirst();
  return row === undefined ? undefined : toStation(row);
}

/** Every registered station, by id. */
export async function listStations(db: Db): Promise<OcppStation[]> {
  const rows = await stations(db).selectFrom('ocpp_stations').selectAll().orderBy('station_id').execute();
  return rows.map(toStation);
}

/**
 * Removes a station and what is stored for it (its charging needs); false when it was not registered.
 * Readings already stored stay: they are the participant's meter history.
 */
export async function removeStation(db: Db, stationId: string): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    await trx
      .withTables<{ ocpp_charging_needs: { station_id: string } }>()
      .deleteFrom('ocpp_charging_needs')
      .where('station_id', '=', stationId)
      .execute();
    const deleted = await stations(trx as unknown as Db)
      .deleteFrom('ocpp_stations')
      .where('station_id', '=', stationId)
      .executeTakeFirst();
    return Number(deleted.numDeletedRows) > 0;
  });
}

/** Moves the register forward only: an older or equal sample (a resend) leaves it unchanged. */
export async function advanceRegister(
  db: Db,
  stationId: string,
  registerWh: number,
  registerMs: number,
): Promise<void> {
  await stations(db)
    .updateTable('ocpp_stations')
    .set({ register_wh: registerWh, register_ms: registerMs })
    .where('station_id', '=', stationId)
    .where((eb) => eb.or([eb('register_ms', 'is', null), eb('register_ms', '<', registerMs)]))
    .execute();
}

function toStation(row: OcppStationTable): OcppStation {
  return {
    stationId: row.station_id,
    participantId: row.participant_id,
    registerWh: row.register_wh === null ? undefined : Number(row.register_wh),
    registerMs: row.register_ms === null ? undefined : Number(row.register_ms),
  };
}
