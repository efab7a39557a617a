import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { openStoreDatabase, selectStoreConfig } from './database.js';
import { ingestMeterReadings, readMeterReadings } from './meter-reading-repository.js';
import { migrateToLatest } from './migrations.js';

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
