/**
 * The store migration that adds EV charging needs (registered in store/migrations.ts as 0006; 0005 is
 * left to the IEEE 2030.5 device registry). Like 0004 it lives with the OCPP code that owns the table and
 * imports nothing from it.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0006: one need per station and EVSE, replaced by the next NotifyEVChargingNeeds. */
export const ocppChargingNeedsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ocpp_charging_needs')
      .addColumn('station_id', 'text', (c) => c.notNull().references('ocpp_stations.station_id'))
      .addColumn('evse_id', 'integer', (c) => c.notNull())
      .addColumn('transfer_mode', 'text', (c) => c.notNull())
      .addColumn('energy_wh', 'bigint', (c) => c.notNull())
      .addColumn('departure_ms', 'bigint')
      .addColumn('max_power_w', 'bigint', (c) => c.notNull())
      .addColumn('min_power_w', 'bigint', (c) => c.notNull())
      .addColumn('max_current_a', 'integer')
      .addColumn('min_current_a', 'integer')
      .addColumn('phases', 'integer', (c) => c.notNull())
      .addColumn('received_ms', 'bigint', (c) => c.notNull())
      // The station's energy register when the need arrived: what it meters afterwards is delivered.
      .addColumn('register_wh_at_receipt', 'bigint')
      .addPrimaryKeyConstraint('ocpp_charging_needs_pk', ['station_id', 'evse_id'])
      .execute();
  },
};
