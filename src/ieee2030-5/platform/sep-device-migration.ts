/**
 * The store migration that adds IEEE 2030.5 devices (registered in store/migrations.ts as 0005). It lives
 * with the 2030.5 platform code that owns the table and imports nothing from it, so the store stays free
 * of protocol code.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0005: the sep_devices table (same DDL on SQLite and PostgreSQL). */
export const sepDevicesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sep_devices')
      .addColumn('id', 'text', (c) => c.primaryKey())
      // The certificate's LFDI, 40 upper-case hex digits: the server finds the device by it.
      .addColumn('lfdi', 'text', (c) => c.notNull().unique())
      .addColumn('sfdi', 'bigint', (c) => c.notNull())
      .addColumn('pin', 'integer', (c) => c.notNull())
      .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
      // JSON array of device ids this certificate may also read (an aggregator's gateway).
      .addColumn('sees', 'text', (c) => c.notNull())
      .addColumn('enabled', 'integer', (c) => c.notNull())
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('changed_ms', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('sep_devices_participant')
      .on('sep_devices')
      .column('participant_id')
      .execute();
  },
};
