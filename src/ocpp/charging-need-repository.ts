/** Stored charging needs, one per station and EVSE (migration 0006, SQLite and PostgreSQL). */
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../store/schema.js';
import type { ChargingNeed } from './charging-needs.js';

export interface OcppChargingNeedTable {
  station_id: string;
  evse_id: number;
  transfer_mode: string;
  energy_wh: number;
  departure_ms: number | null;
  max_power_w: number;
  min_power_w: number;
  max_current_a: number | null;
  min_current_a: number | null;
  phases: number;
  received_ms: number;
  register_wh_at_receipt: number | null;
}

type NeedSchema = { ocpp_charging_needs: OcppChargingNeedTable };
type Db = Kysely<StoreSchema>;

function needs(db: Db): Kysely<NeedSchema> {
  return db.withTables<NeedSchema>() as unknown as Kysely<NeedSchema>;
}

/** Stores the need, replacing the EVSE's earlier one (an EV renegotiates by sending a new need). */
export async function saveChargingNeed(db: Db, need: ChargingNeed): Promise<void> {
  const row: OcppChargingNeedTable = {
    station_id: need.stationId,
    evse_id: need.evseId,
    transfer_mode: need.transferMode,
    energy_wh: need.energyWh,
    departure_ms: need.departureMs ?? null,
    max_power_w: need.maxPowerW,
    min_power_w: need.minPowerW,
    max_current_a: need.maxCurrentA ?? null,
    min_current_a: need.minCurrentA ?? null,
    phases: need.phases,
    received_ms: need.receivedMs,
    register_wh_at_receipt: need.registerWhAtReceipt ?? null,
  };
  const { station_id: _station, evse_id: _evse, ...changes } = row;
  await needs(db)
    .insertInto('ocpp_charging_needs')
    .values(row)
    .onConflict((oc) => oc.columns(['station_id', 'evse_id']).doUpdateSet(changes))
    .execute();
}

export async function getChargingNeed(
  db: Db,
  stationId: string,
  evseId: number,
): Promise<ChargingNeed | undefined> {
  const row = await needs(db)
    .selectFrom('ocpp_charging_needs')
    .selectAll()
    .where('station_id', '=', stationId)
    .where('evse_id', '=', evseId)
    .executeTakeFirst();
  return row === undefined ? undefined : toNeed(row);
}

/** Every stored need, or one station's, by station and EVSE. */
export async function listChargingNeeds(db: Db, stationId?: string): Promise<ChargingNeed[]> {
  let query = needs(db).selectFrom('ocpp_charging_needs').selectAll();
  if (stationId !== undefined) query = query.where('station_id', '=', stationId);
  const rows = await query.orderBy('station_id').orderBy('evse_id').execute();
  return rows.map(toNeed);
}

/** Gives the station's needs stored before it had any register value that value as their baseline. */
export async function setMissingRegisterBaseline(
  db: Db,
  stationId: string,
  registerWh: number,
): Promise<void> {
  await needs(db)
    .updateTable('ocpp_charging_needs')
    .set({ register_wh_at_receipt: registerWh })
    .where('station_id', '=', stationId)
    .where('register_wh_at_receipt', 'is', null)
    .execute();
}

/** The EV left (its transaction ended) or the station was removed: its needs go. */
export async function deleteChargingNeeds(db: Db, stationId: string, evseId?: number): Promise<void> {
  let query = needs(db).deleteFrom('ocpp_charging_needs').where('station_id', '=', stationId);
  if (evseId !== undefined) query = query.where('evse_id', '=', evseId);
  await query.execute();
}

function toNeed(row: OcppChargingNeedTable): ChargingNeed {
  return {
    stationId: row.station_id,
    evseId: Number(row.evse_id),
    transferMode: row.transfer_mode as ChargingNeed['transferMode'],
    energyWh: Number(row.energy_wh),
    departureMs: row.departure_ms === null ? undefined : Number(row.departure_ms),
    maxPowerW: Number(row.max_power_w),
    minPowerW: Number(row.min_power_w),
    maxCurrentA: row.max_current_a === null ? undefined : Number(row.max_current_a),
    minCurrentA: row.min_current_a === null ? undefined : Number(row.min_current_a),
    phases: Number(row.phases) as 1 | 2 | 3,
    receivedMs: Number(row.received_ms),
    registerWhAtReceipt: row.register_wh_at_receipt === null ? undefined : Number(row.register_wh_at_receipt),
  };
}
