/**
 * The store migration for what devices report and what their owners prefer (registered in
 * store/migrations.ts as 0009): one row per device and sample time (a resent batch adds nothing), and one
 * row per participant with its comfort slider. The dashboard's fleet table, energy-flow view and per-device
 * history read the samples; the demo homes' transactive thermostats and water heaters follow the slider.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0009: device_telemetry and participant_preferences (same DDL on SQLite and PostgreSQL). */
export const deviceTelemetryMigration: Migration = {
  async up(db: Kysely<unknown>) {
    const measured = [
      'soc_pct',
      'indoor_temp_f',
      'setpoint_f',
      'comfort_low_f',
      'comfort_high_f',
      'tank_temp_f',
      'bid_price_per_kwh',
      'bid_quantity_kw',
      'expected_price_per_kwh',
      'clearing_price_per_kwh',
    ];
    let table = db.schema
      .createTable('device_telemetry')
      // Deleting a device deletes what it reported.
      .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id').onDelete('cascade'))
      .addColumn('time_ms', 'bigint', (c) => c.notNull())
      .addColumn('power_kw', 'double precision', (c) => c.notNull())
      .addColumn('state', 'text');
    // Optional figures: NULL where the device has no such quantity (a PV panel has no temperature).
    for (const column of measured) table = table.addColumn(column, 'double precision');
    await table
      .addColumn('received_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('device_telemetry_pk', ['device_id', 'time_ms'])
      .execute();
    // The retention prune deletes by time across devices.
    await db.schema.createIndex('device_telemetry_time').on('device_telemetry').column('time_ms').execute();
    await db.schema
      .createTable('participant_preferences')
      .addColumn('participant_id', 'text', (c) =>
        c.primaryKey().references('participants.id').onDelete('cascade'),
      )
      .addColumn('comfort_slider', 'double precision', (c) => c.notNull())
      .addColumn('updated_ms', 'bigint', (c) => c.notNull())
      .execute();
  },
};
