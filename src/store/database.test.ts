import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStoreDatabase, selectStoreConfig } from './database.js';
import { ingestMeterReadings, readMeterReadings } from './meter-reading-repository.js';
import { migrateToLatest } from './migrations.js';
import { adminQuery, postgresTestStore, TEST_DATABASE_URL } from './test-databases.fixture.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-db-'));
  dirs.push(dir);
  return dir;
}

describe('store database', () => {
  it('selects PostgreSQL when DATABASE_URL is set, SQLite under the data directory otherwise', () => {
    expect(selectStoreConfig({ databaseUrl: 'postgres://h/db', dataDir: 'data' })).toEqual({
      kind: 'postgres',
      url: 'postgres://h/db',
    });
    expect(selectStoreConfig({ databaseUrl: ' ', dataDir: 'data' })).toEqual({
      kind: 'sqlite',
      dataDir: 'data',
    });
    expect(selectStoreConfig({ dataDir: 'data' })).toEqual({ kind: 'sqlite', dataDir: 'data' });
  });

  it('opens SQLite in WAL mode with foreign keys on, and keeps data across close and reopen', async () => {
    const dataDir = join(tempDir(), 'nested', 'data');
    const first = openStoreDatabase({ kind: 'sqlite', dataDir });
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`PRAGMA ${name}`).execute(first.db)).rows[0] as object)[0] as unknown;
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
    await migrateToLatest(first);
    await ingestMeterReadings(first.db, [{ meterId: 'm', timeMs: 1, energyWh: 42 }]);
    await first.close();

    const second = openStoreDatabase({ kind: 'sqlite', dataDir });
    expect((await migrateToLatest(second)).results).toEqual([]);
    expect(await readMeterReadings(second.db, 'm', 0, 10)).toEqual([
      { meterId: 'm', timeMs: 1, energyWh: 42 },
    ]);
    await second.close();
  });

  it('refuses a PostgreSQL schema name that is not a plain identifier', () => {
    expect(() => openStoreDatabase({ kind: 'postgres', url: 'postgres://h/db', schema: 'x; drop' })).toThrow(
      /schema name/,
    );
  });
});

describe.skipIf(TEST_DATABASE_URL === '')('PostgreSQL store', () => {
  it('outlives the server dropping an idle connection (no unheard pool error ends the process)', async () => {
    const test = await postgresTestStore();
    try {
      const db = test.store.db;
      const { rows } = await sql<{ pid: number }>`select pg_backend_pid() as pid`.execute(db);
      const pid = rows[0]?.pid;
      expect(pid).toBeGreaterThan(0);
      await adminQuery(TEST_DATABASE_URL, `SELECT pg_terminate_backend(${Number(pid)})`);
      // Let the pool hear of it before the next query.
      await new Promise((resolve) => setTimeout(resolve, 200));
      const again = await sql<{ one: number }>`select 1 as one`.execute(db);
      expect(again.rows[0]?.one).toBe(1);
    } finally {
      await test.dispose();
    }
  });
});
