/**
 * Opens the store: Kysely over an embedded SQLite file (the default, nothing to run) or over a PostgreSQL
 * pool (scale-out, `DATABASE_URL`). The caller picks; this module reads no environment.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { StoreSchema } from './schema.js';

export type StoreConfig =
  | {
      readonly kind: 'sqlite';
      /** Directory for the database file; created when missing. */
      readonly dataDir: string;
      readonly fileName?: string;
      readonly busyTimeoutMs?: number;
    }
  | {
      readonly kind: 'postgres';
      readonly url: string;
      /** Schema to work in (set as `search_path` on every connection); the URL's default otherwise. */
      readonly schema?: string;
      readonly poolSize?: number;
    };

export type StoreDialect = StoreConfig['kind'];

export interface StoreDatabase {
  readonly db: Kysely<StoreSchema>;
  readonly dialect: StoreDialect;
  /** The schema migrations and tables live in (PostgreSQL only). */
  readonly schema: string | undefined;
  close(): Promise<void>;
}

export const DEFAULT_SQLITE_FILE = 'tenet.sqlite';
const DEFAULT_BUSY_TIMEOUT_MS = 5_000;
const SQLITE_CACHE_KIB = 65_536;
const SQLITE_CHECKPOINT_PAGES = 2_000;
const PG_INT8_OID = 20;
const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** `DATABASE_URL` when set selects PostgreSQL; otherwise SQLite under the data directory. */
export function selectStoreConfig(options: { databaseUrl?: string; dataDir: string }): StoreConfig {
  const url = options.databaseUrl?.trim();
  if (url !== undefined && url !== '') return { kind: 'postgres', url };
  return { kind: 'sqlite', dataDir: options.dataDir };
}

export function openStoreDatabase(config: StoreConfig): StoreDatabase {
  return config.kind === 'sqlite' ? openSqlite(config) : openPostgres(config);
}

function openSqlite(config: Extract<StoreConfig, { kind: 'sqlite' }>): StoreDatabase {
  mkdirSync(config.dataDir, { recursive: true });
  const file = new Database(join(config.dataDir, config.fileName ?? DEFAULT_SQLITE_FILE));
  // WAL lets readers run beside the writer; NORMAL sync is durable across process crashes in WAL mode.
  file.pragma('journal_mode = WAL');
  file.pragma('synchronous = NORMAL');
  file.pragma('foreign_keys = ON');
  // Batches of readings touch pages all over the (meter, time) index: a larger page cache and fewer,
  // larger checkpoints let repeated writes to the same pages collapse. But a checkpoint runs inside the
  // COMMIT that crosses the threshold and stalls every request queued behind it (then the copied pages'
  // fsync): at 10,000 pages that stall set the order API's p99 (about 40 ms at 64 connections), at
  // 2,000 it is 15-18 ms, for 5-20% less raw ingestion (docs/benchmarks.md, Live API over HTTP).
  file.pragma(`cache_size = -${SQLITE_CACHE_KIB}`);
  file.pragma(`wal_autocheckpoint = ${SQLITE_CHECKPOINT_PAGES}`);
  file.pragma(`busy_timeout = ${Math.trunc(config.busyTimeoutMs ?? DEFAULT_BUSY_TIMEOUT_MS)}`);
  const db = new Kysely<StoreSchema>({ dialect: new SqliteDialect({ database: withStatementCache(file) }) });
  sqliteFiles.set(db, file);
  return { db, dialect: 'sqlite', schema: undefined, close: () => db.destroy() };
}

const sqliteFiles = new WeakMap<Kysely<StoreSchema>, Database.Database>();
const postgresStores = new WeakSet<Kysely<StoreSchema>>();

/**
 * The better-sqlite3 file under a store that `openStoreDatabase` opened on SQLite; undefined for
 * PostgreSQL and for anything else (a Kysely transaction, another instance). The order write path runs its
 * transaction on it synchronously, in one turn of the event loop, so it never interleaves with Kysely's
 * statements; it must check `inTransaction` first, since a Kysely transaction may be open across awaits.
 */
export function sqliteFileOf(db: Kysely<StoreSchema>): Database.Database | undefined {
  return sqliteFiles.get(db);
}

/** Whether `openStoreDatabase` opened `db` on PostgreSQL (false for a transaction and anything else). */
export function isPostgresStore(db: Kysely<StoreSchema>): boolean {
  return postgresStores.has(db);
}

function openPostgres(config: Extract<StoreConfig, { kind: 'postgres' }>): StoreDatabase {
  if (config.schema !== undefined && !SCHEMA_NAME.test(config.schema)) {
    throw new Error(`schema name '${config.schema}' must match ${SCHEMA_NAME}`);
  }
  const pool = new pg.Pool({
    connectionString: config.url,
    max: config.poolSize ?? 10,
    ...(config.schema === undefined ? {} : { options: `-c search_path=${config.schema}` }),
    // BIGINT arrives as text by default; minor units and epoch ms are safe integers, so read numbers.
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === PG_INT8_OID && format !== 'binary'
          ? parseSafeInteger
          : pg.types.getTypeParser(oid, format ?? 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // An idle connection the server drops (a restart, pg_terminate_backend, a dropped database) is emitted
  // as an 'error' on the pool; unheard, Node would end the process. The pool has already discarded that
  // client, and the next query opens a new connection or fails with its own error.
  pool.on('error', () => undefined);
  const db = new Kysely<StoreSchema>({ dialect: new PostgresDialect({ pool }) });
  postgresStores.add(db);
  return { db, dialect: 'postgres', schema: config.schema, close: () => db.destroy() };
}

const STATEMENT_CACHE_SIZE = 512;

/**
 * Kysely prepares every query afresh; the API's hot paths run the same few statements thousands of times
 * a second, and preparing was a tenth of an order submission's CPU. Statements are reused by SQL text
 * (better-sqlite3 runs one at a time, synchronously, so a cached statement is never busy), the least
 * recently used dropped beyond the cache size.
 */
function withStatementCache(file: Database.Database): SqliteDatabase {
  const cache = new Map<string, Database.Statement>();
  return {
    close: () => file.close(),
    prepare: (sql: string) => {
      let statement = cache.get(sql);
      if (statement !== undefined) {
        cache.delete(sql);
      } else {
        statement = file.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      }
      cache.set(sql, statement);
      return statement;
    },
  };
}

function parseSafeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`BIGINT ${text} is beyond 2^53: not a safe integer`);
  return value;
}
