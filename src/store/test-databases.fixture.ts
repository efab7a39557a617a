/**
 * Throwaway stores for tests: a SQLite file in a fresh temp directory, or a fresh schema on the
 * PostgreSQL server named by TEST_DATABASE_URL (dropped on dispose). Tests that need PostgreSQL skip with
 * POSTGRES_SKIP_MESSAGE when it is not set.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { openStoreDatabase, type StoreDatabase } from './database.js';
import { migrateToLatest } from './migrations.js';

export interface TestStore {
  readonly store: StoreDatabase;
  /** SQLite: the data directory; PostgreSQL: the schema. */
  readonly location: string;
  /** A second handle on the same database (PostgreSQL only: SQLite is one process, one handle). */
  reopen(): StoreDatabase;
  dispose(): Promise<void>;
}

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? '';
export const POSTGRES_SKIP_MESSAGE =
  'set TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test to run the PostgreSQL tests (.ci/run does)';

export async function sqliteTestStore(): Promise<TestStore> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-store-'));
  const store = openStoreDatabase({ kind: 'sqlite', dataDir });
  await migrateToLatest(store);
  return {
    store,
    location: dataDir,
    reopen: () => {
      throw new Error('a SQLite test store has one handle');
    },
    async dispose() {
      await store.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresTestStore(url = TEST_DATABASE_URL): Promise<TestStore> {
  const schema = testSchemaName();
  await adminQuery(url, `CREATE SCHEMA ${schema}`);
  const store = openStoreDatabase({ kind: 'postgres', url, schema });
  await migrateToLatest(store);
  const extra: StoreDatabase[] = [];
  return {
    store,
    location: schema,
    reopen: () => {
      const handle = openStoreDatabase({ kind: 'postgres', url, schema });
      extra.push(handle);
      return handle;
    },
    // The schema itself is dropped after the whole run (test/postgres-schemas.global-setup.ts says why).
    async dispose() {
      await Promise.allSettled([store.close(), ...extra.map((h) => h.close())]);
    },
  };
}

export async function adminQuery(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A fresh schema name of this test run (test/postgres-schemas.global-setup.ts drops them afterwards). */
export function testSchemaName(): string {
  const runId = process.env.TENET_TEST_RUN_ID ?? 'norun';
  return `tenet_test_${runId}_${randomBytes(6).toString('hex')}`;
}

/** Both stores, for `describe.each`; the PostgreSQL tests skip when TEST_DATABASE_URL is not set. */
export const TEST_STORE_BACKENDS: [name: string, open: () => Promise<TestStore>][] = [
  ['SQLite', sqliteTestStore],
  ['PostgreSQL', () => postgresTestStore()],
];
