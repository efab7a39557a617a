/**
 * The store migration that adds OCPP charging stations (registered in store/migrations.ts as 0004). It
 * lives with the OCPP code that owns the table; it imports nothing from it so the store stays free of
 * protocol code.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0004: the stations table (same DDL on SQLite and PostgreSQL). */
export const ocppStationsMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ocpp_stations')
      .addColumn('station_id', 'text', (c) => c.primaryKey())
      .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
      .addColumn('password_hash', 'text', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('register_wh', 'bigint')
      .addColumn('register_ms', 'bigint')
      .execute();
    // One station per participant: settlement reads the participant's meter, and readings are keyed by
    // (meter, time), so two stations' readings of one interval would collide and one would be dropped.
    await db.schema
      .createIndex('ocpp_stations_participant')
      .on('ocpp_stations')
      .column('participant_id')
      .unique()
      .execute();
  },
};
