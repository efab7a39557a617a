/**
 * The store migration that keeps IEEE 2030.5 mirror usage points (registered in store/migrations.ts as
 * 0007), so a device's usage point outlives a restart and is known to every instance: devices keep the
 * Location they were given and post their readings there for as long as they run.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0007: the sep_mirror_usage_points table (same DDL on SQLite and PostgreSQL). */
export const sepMirrorUsagePointsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sep_mirror_usage_points')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // Deleting the device deletes its usage points: their readings settle on its participant.
      .addColumn('device_id', 'text', (c) => c.notNull().references('sep_devices.id').onDelete('cascade'))
      .addColumn('mrid', 'text', (c) => c.notNull())
      // The MirrorUsagePoint as posted (JSON), its MirrorMeterReadings without readings.
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('changed_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sep_mirror_usage_points_device')
      .on('sep_mirror_usage_points')
      .column('device_id')
      .execute();
  },
};
