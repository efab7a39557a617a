/**
 * The store migration for the live feeder's solved states (registered in store/migrations.ts as
 * 0010-grid-states): one row per market and slot, the summary the history chart reads as columns, the
 * per-bus, per-branch, violation and envelope detail as JSON. A restart and a standby instance read them
 * from here; the clearing leader writes them, and keeps seven days.
 */
import type { Kysely, Migration } from 'kysely';

/** Migration 0010: grid_states (same DDL on SQLite and PostgreSQL). */
export const gridStatesMigration: Migration = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('grid_states')
      .addColumn('market_id', 'text', (c) => c.notNull())
      .addColumn('slot_start_ms', 'bigint', (c) => c.notNull())
      .addColumn('solved_ms', 'bigint', (c) => c.notNull())
      // 1 when the power flow converged, else 0 (then the figures below are null).
      .addColumn('converged', 'integer', (c) => c.notNull())
      .addColumn('substation_kw', 'double precision')
      .addColumn('capacity_kw', 'double precision', (c) => c.notNull())
      .addColumn('losses_kw', 'double precision')
      .addColumn('v_min_pu', 'double precision')
      .addColumn('v_max_pu', 'double precision')
      .addColumn('max_loading_pct', 'double precision')
      .addColumn('violation_count', 'integer', (c) => c.notNull())
      // The whole state as the API sends it (buses, lines, violations, envelopes), JSON text.
      .addColumn('detail', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('grid_states_pk', ['market_id', 'slot_start_ms'])
      .execute();
  },
};
