/**
 * Schema migrations, defined in code and the same for both dialects. Names sort in the order they run;
 * a migration, once released, is never edited: change the schema with a new one.
 *
 * Dialect differences kept here: BIGINT for minor units and epoch ms (INTEGER affinity on SQLite, int8 on
 * PostgreSQL), text ids, JSON as TEXT, and the audit log's generated key (SQLite's rowid alias
 * `INTEGER PRIMARY KEY` versus PostgreSQL's `BIGSERIAL`).
 */
import { Migrator, type Kysely, type Migration, type MigrationResultSet } from 'kysely';
import type { StoreDatabase, StoreDialect } from './database.js';
import { ocppChargingNeedsMigration } from '../ocpp/charging-needs-migration.js';
import { ocppStationsMigration } from '../ocpp/station-migration.js';
import { gridStatesMigration } from '../live/grid/grid-state-migration.js';
import { sepDevicesMigration } from '../ieee2030-5/platform/sep-device-migration.js';
import { sepDeviceStateMigration } from '../ieee2030-5/platform/sep-device-state-migration.js';
import { sepMirrorUsagePointsMigration } from '../ieee2030-5/platform/sep-mirror-migration.js';
import { deviceTelemetryMigration } from './device-telemetry-migration.js';

// Migrations run before the typed schema exists, so they see an untyped database.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

function initialSchema(dialect: StoreDialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('participants')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('params', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('markets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('slot_duration_ms', 'bigint', (c) => c.notNull())
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('slots')
        .addColumn('market_id', 'text', (c) => c.notNull().references('markets.id'))
        .addColumn('start_ms', 'bigint', (c) => c.notNull())
        .addColumn('end_ms', 'bigint', (c) => c.notNull())
        .addColumn('gate_closure_ms', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('cleared_at_ms', 'bigint')
        .addColumn('next_order_sequence', 'bigint', (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint('slots_pk', ['market_id', 'start_ms'])
        .execute();
      await db.schema
        .createTable('orders')
        .addColumn('market_id', 'text', (c) => c.notNull())
        .addColumn('slot_start_ms', 'bigint', (c) => c.notNull())
        .addColumn('participant_id', 'text', (c) => c.notNull().references('participants.id'))
        .addColumn('client_order_id', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('green', 'integer', (c) => c.notNull())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('updated_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('orders_pk', [
          'market_id',
          'slot_start_ms',
          'participant_id',
          'client_order_id',
        ])
        .addUniqueConstraint('orders_sequence_unique', ['market_id', 'slot_start_ms', 'sequence'])
        .addForeignKeyConstraint('orders_slot_fk', ['market_id', 'slot_start_ms'], 'slots', [
          'market_id',
          'start_ms',
        ])
        .execute();
      await db.schema
        .createTable('order_history')
        .addColumn('market_id', 'text', (c) => c.notNull())
        .addColumn('slot_start_ms', 'bigint', (c) => c.notNull())
        .addColumn('participant_id', 'text', (c) => c.notNull())
        .addColumn('client_order_id', 'text', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('steps', 'text', (c) => c.notNull())
        .addColumn('green', 'integer', (c) => c.notNull())
        .addColumn('sequence', 'bigint', (c) => c.notNull())
        .addColumn('at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('order_history_pk', [
          'market_id',
          'slot_start_ms',
          'participant_id',
          'client_order_id',
          'revision',
        ])
        .addForeignKeyConstraint(
          'order_history_order_fk',
          ['market_id', 'slot_start_ms', 'participant_id', 'client_order_id'],
          'orders',
          ['market_id', 'slot_start_ms', 'participant_id', 'client_order_id'],
        )
        .execute();
      await db.schema
        .createTable('clearing_results')
        .addColumn('market_id', 'text', (c) => c.notNull())
        .addColumn('slot_start_ms', 'bigint', (c) => c.notNull())
        .addColumn('mechanism', 'text', (c) => c.notNull())
        .addColumn('price', 'double precision', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('traded_energy_wh', 'bigint', (c) => c.notNull())
        .addColumn('traded_value_minor', 'bigint', (c) => c.notNull())
        .addColumn('fills', 'text', (c) => c.notNull())
        .addColumn('cleared_at_ms', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('clearing_results_pk', ['market_id', 'slot_start_ms'])
        .addForeignKeyConstraint('clearing_results_slot_fk', ['market_id', 'slot_start_ms'], 'slots', [
          'market_id',
          'start_ms',
        ])
        .execute();
      await db.schema
        .createTable('meter_readings')
        .addColumn('meter_id', 'text', (c) => c.notNull())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('energy_wh', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('meter_readings_pk', ['meter_id', 'time_ms'])
        .execute();
      await db.schema
        .createTable('ledger_entries')
        .addColumn('sequence', 'bigint', (c) => c.primaryKey())
        .addColumn('entry_id', 'text', (c) => c.notNull().unique())
        .addColumn('previous_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('audit_log')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('time_ms', 'bigint', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('details', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_log_time').on('audit_log').columns(['time_ms']).execute();
    },
  };
}

/**
 * The live platform: API clients (credentials are stored as salted hashes, never in clear), market rules
 * (who may change them is the API's business), settlement bookkeeping per slot, and who represents a
 * participant in the market (an aggregator's portfolio).
 */
const livePlatform: Migration = {
  async up(db: AnyDb) {
    await db.schema
      .createTable('api_clients')
      .addColumn('client_id', 'text', (c) => c.primaryKey())
      .addColumn('secret_hash', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('participant_id', 'text', (c) => c.references('participants.id'))
      .addColumn('created_ms', 'bigint', (c) => c.notNull())
      .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await db.schema.alterTable('markets').addColumn('rules', 'text').execute();
    await db.schema.alterTable('slots').addColumn('settled_at_ms', 'bigint').execute();
    await db.schema.alterTable('participants').addColumn('aggregator_id', 'text').execute();
    await db.schema.createIndex('slots_status').on('slots').columns(['status', 'end_ms']).execute();
    await db.schema.createIndex('ledger_entries_time').on('ledger_entries').columns(['time_ms']).execute();
  },
};

/**
 * OpenADR 3 (the VTN): programs, events, reports, subscriptions, VENs and resources in one table, each
 * object's JSON body beside the columns the searches filter on, and a side table of target values. Ids
 * are unique across the object types (the spec says so). An event belongs to its program and a resource
 * to its VEN (`parent_id`): deleting the parent deletes them, in the same statement.
 */
function openAdr3(dialect: StoreDialect): Migration {
  return {
    async up(db: AnyDb) {
      await db.schema
        .createTable('openadr_objects')
        .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('object_type', 'text', (c) => c.notNull())
        .addColumn('parent_id', 'text', (c) => c.references('openadr_objects.id').onDelete('cascade'))
        .addColumn('program_id', 'text')
        .addColumn('event_id', 'text')
        .addColumn('ven_id', 'text')
        .addColumn('client_id', 'text')
        .addColumn('client_name', 'text')
        .addColumn('name', 'text')
        .addColumn('name_key', 'text', (c) => c.unique())
        .addColumn('targeted', 'integer', (c) => c.notNull())
        .addColumn('subscribed_objects', 'text')
        .addColumn('ends_ms', 'bigint')
        .addColumn('created_ms', 'bigint', (c) => c.notNull())
        .addColumn('modified_ms', 'bigint', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .execute();
      const index = (name: string, columns: string[]) =>
        db.schema.createIndex(name).on('openadr_objects').columns(columns).execute();
      await index('openadr_objects_type', ['object_type', 'seq']);
      await index('openadr_objects_program', ['program_id', 'object_type']);
      await index('openadr_objects_client', ['client_id', 'object_type']);
      await index('openadr_objects_parent', ['parent_id']);
      await db.schema
        .createTable('openadr_targets')
        .addColumn('object_id', 'text', (c) =>
          c.notNull().references('openadr_objects.id').onDelete('cascade'),
        )
        .addColumn('target', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('openadr_targets_pk', ['object_id', 'target'])
        .execute();
      await db.schema
        .createIndex('openadr_targets_target')
        .on('openadr_targets')
        .columns(['target', 'object_id'])
        .execute();
    },
  };
}

/** Every migration by name, in the order they run. */
export function storeMigrations(dialect: StoreDialect): Record<string, Migration> {
  return {
    '0001-initial-schema': initialSchema(dialect),
    '0002-live-platform': livePlatform,
    '0003-openadr3': openAdr3(dialect),
    '0004-ocpp-stations': ocppStationsMigration,
    '0005-sep-devices': sepDevicesMigration,
    '0006-ocpp-charging-needs': ocppChargingNeedsMigration,
    '0007-sep-mirror-usage-points': sepMirrorUsagePointsMigration,
    '0008-sep-device-state': sepDeviceStateMigration,
    '0009-device-telemetry': deviceTelemetryMigration,
    '0010-grid-states': gridStatesMigration,
  };
}

/** Brings the schema to the latest migration; running it again on an up-to-date schema does nothing. */
export async function migrateToLatest(store: StoreDatabase): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: () => Promise.resolve(storeMigrations(store.dialect)) },
    // With a schema of its own, the bookkeeping tables live there too (not in another run's `public`).
    ...(store.schema === undefined ? {} : { migrationTableSchema: store.schema }),
  });
  const result = await migrator.migrateToLatest();
  if (result.error !== undefined) {
    throw new Error('store migration failed', { cause: result.error });
  }
  return result;
}
