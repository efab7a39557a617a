/**
 * The store migration that keeps what IEEE 2030.5 devices report (registered in store/migrations.ts as
 * 0008): their DERControlResponses and the latest DER documents they PUT. A utility running CSIP needs
 * both after a restart and from every instance: which devices acknowledged, started, completed or refused
 * which control, and each device's capability and status.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0008: sep_control_responses and sep_der_documents (same DDL on SQLite and PostgreSQL). */
export const sepDeviceStateMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('sep_control_responses')
      // Deleting the device deletes what it reported.
      .addColumn('device_id', 'text', (c) => c.notNull().references('sep_devices.id').onDelete('cascade'))
      .addColumn('control_mrid', 'text', (c) => c.notNull())
      // 2030.5's response status (1 received, 2 started, 3 completed, 4 opted out, ...); 0 when absent.
      .addColumn('status', 'integer', (c) => c.notNull())
      // The response's createdDateTime, seconds since the epoch, when the device gave a plausible one.
      .addColumn('response_time_s', 'bigint')
      .addColumn('received_ms', 'bigint', (c) => c.notNull())
      // A resend of the same answer is not a second row.
      .addPrimaryKeyConstraint('sep_control_responses_pk', ['device_id', 'control_mrid', 'status'])
      .execute();
    await db.schema
      .createIndex('sep_control_responses_device_time')
      .on('sep_control_responses')
      .columns(['device_id', 'received_ms'])
      .execute();
    await db.schema
      .createIndex('sep_control_responses_time')
      .on('sep_control_responses')
      .column('received_ms')
      .execute();
    await db.schema
      .createTable('sep_der_documents')
      .addColumn('device_id', 'text', (c) => c.notNull().references('sep_devices.id').onDelete('cascade'))
      // DERCapability, DERSettings, DERStatus or DERAvailability.
      .addColumn('kind', 'text', (c) => c.notNull())
      // The decoded document without href, as JSON.
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('updated_ms', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('sep_der_documents_pk', ['device_id', 'kind'])
      .execute();
  },
};
