/**
 * Who runs the markets. Several server instances may share one PostgreSQL database; exactly one of them
 * (the leader) opens, clears and settles slots, the others serve the API and wait. The store already
 * refuses a second clearing or settlement of a slot, so a brief overlap during a takeover cannot double
 * anything; the lease keeps the work in one place and the overlap brief.
 */
import { createHash } from 'node:crypto';
import pg from 'pg';

export interface LeaderLease {
  /**
   * Takes the lease when free, or confirms it is still held (the leader calls this every tick, so a lost
   * lease is noticed within a tick). Never rejects: a database that cannot be reached means "not leader".
   */
  tryAcquire(): Promise<boolean>;
  /** What the last tryAcquire found, updated at once when the lease's connection drops. */
  isHeld(): boolean;
  /** Gives the lease up (a standby takes over on its next tick); safe to call when not held. */
  release(): Promise<void>;
}

/**
 * SQLite: one database file is served by one server process (better-sqlite3 holds the file; a second
 * process would fight over the write lock), so that process is always the leader.
 */
export class SingleProcessLease implements LeaderLease {
  tryAcquire(): Promise<boolean> {
    return Promise.resolve(true);
  }

  isHeld(): boolean {
    return true;
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * The advisory lock key for an operator on `url`'s database and `schema`: two schemas (two test runs, two
 * tenants) on one server have different leaders. A signed 64-bit integer, as decimal text.
 */
export function advisoryLockKey(url: string, schema = 'public'): string {
  const database = new URL(url).pathname.replace(/^\//, '') || 'postgres';
  const digest = createHash('sha256').update(`tenet-market-operator:${database}:${schema}`).digest();
  return digest.readBigInt64BE(0).toString();
}

export interface PostgresLeaseOptions {
  /** How long to wait for the lease connection, ms (default 5,000). */
  readonly connectTimeoutMs?: number;
  readonly log?: (line: string) => void;
}

/**
 * PostgreSQL session advisory lock on a dedicated connection (not the pool: a pooled connection goes back
 * to the pool and the lock with it). The lock lives exactly as long as the session: when the process dies
 * or its connection drops, PostgreSQL releases it and a standby's next `pg_try_advisory_lock` wins. The
 * holder checks its connection every tick (`SELECT 1`) and treats any error or a closed connection as a
 * lost lease.
 */
export class PostgresAdvisoryLease implements LeaderLease {
  readonly key: string;
  #client: pg.Client | undefined;
  #held = false;
  readonly #connectTimeoutMs: number;
  readonly #log: (line: string) => void;

  constructor(
    private readonly url: string,
    schema?: string,
    key: string = advisoryLockKey(url, schema),
    options: PostgresLeaseOptions = {},
  ) {
    this.key = key;
    this.#connectTimeoutMs = options.connectTimeoutMs ?? 5_000;
    this.#log = options.log ?? (() => {});
  }

  isHeld(): boolean {
    return this.#held;
  }

  /** The lease connection's server process id (for operators and tests that end it deliberately). */
  async backendPid(): Promise<number | undefined> {
    if (this.#client === undefined) return undefined;
    const result = await this.#client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    return result.rows[0]?.pid;
  }

  async tryAcquire(): Promise<boolean> {
    try {
      const client = await this.#connection();
      if (this.#held) {
        await client.query('SELECT 1');
        return this.#held;
      }
      const result = await client.query<{ acquired: boolean }>(
        'SELECT pg_try_advisory_lock($1::bigint) AS acquired',
        [this.key],
      );
      this.#held = result.rows[0]?.acquired === true;
      return this.#held;
    } catch (error) {
      if (this.#held) this.#log(`leader lease lost: ${errorText(error)}`);
      await this.#drop();
      return false;
    }
  }

  async release(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    try {
      if (this.#held) await client.query('SELECT pg_advisory_unlock($1::bigint)', [this.key]);
    } catch {
      // Ending the session below releases the lock anyway.
    }
    await this.#drop();
  }

  async #connection(): Promise<pg.Client> {
    if (this.#client !== undefined) return this.#client;
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: this.#connectTimeoutMs,
      application_name: 'tenet-leader-lease',
    });
    // A dropped connection means the lock is gone: stop believing we lead before the next query says so.
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      if (this.#held)
        this.#log(`leader lease lost: ${error === undefined ? 'connection closed' : error.message}`);
      this.#held = false;
      this.#client = undefined;
    };
    client.on('error', lost);
    client.on('end', () => lost());
    this.#client = client;
    try {
      await client.connect();
    } catch (error) {
      this.#client = undefined;
      throw error;
    }
    return client;
  }

  async #drop(): Promise<void> {
    const client = this.#client;
    this.#held = false;
    this.#client = undefined;
    if (client === undefined) return;
    try {
      await client.end();
    } catch {
      // Already closed.
    }
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
