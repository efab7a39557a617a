/**
 * Two `tenet serve` processes on one PostgreSQL database: exactly one (the leader) clears each slot;
 * kill -9 the leader and the standby takes over within one market period, without a slot cleared twice
 * or skipped, and the ledger verifies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runInProcess } from '../../src/cli/run-in-process.fixture.js';
import {
  adminQuery,
  POSTGRES_SKIP_MESSAGE,
  TEST_DATABASE_URL,
} from '../../src/store/test-databases.fixture.js';
import { startServe, type ServeProcess } from './serve-process.fixture.js';

const SLOT_MS = 60_000;
const SPEED = 30; // a one-minute slot every two real seconds

if (TEST_DATABASE_URL === '') {
  describe.skip('leader failover on PostgreSQL', () => {
    it(POSTGRES_SKIP_MESSAGE, () => {});
  });
} else {
  const database = `tenet_failover_${randomBytes(5).toString('hex')}`;
  const databaseUrl = withDatabase(TEST_DATABASE_URL, database);
  const dataDir = mkdtempSync(join(tmpdir(), 'tenet-failover-'));
  const configFile = join(dataDir, 'tenet.yaml');
  const servers: ServeProcess[] = [];

  afterAll(async () => {
    for (const server of servers) if (server.child.exitCode === null) await server.kill9();
    await adminQuery(TEST_DATABASE_URL, `DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('leader failover on PostgreSQL (two processes)', () => {
    it('one instance clears each slot; after kill -9 of the leader the other takes over within a period', async () => {
      await adminQuery(TEST_DATABASE_URL, `CREATE DATABASE ${database}`);
      writeFileSync(
        configFile,
        [
          'markets:',
          '  - id: community',
          '    name: Failover',
          '    rules:',
          `      slotDurationMs: ${SLOT_MS}`,
        ].join('\n'),
      );
      const start = () =>
        startServe({ dataDir, configFile, clockSpeed: SPEED, env: { DATABASE_URL: databaseUrl } }).then(
          (s) => {
            servers.push(s);
            return s;
          },
        );
      const first = await start();
      const second = await start();
      await waitFor(async () => (await roles([first, second])).includes('leader'), 10_000);
      const [firstRole, secondRole] = await roles([first, second]);
      expect([firstRole, secondRole].sort()).toEqual(['leader', 'standby']);
      const leader = firstRole === 'leader' ? first : second;
      const standby = leader === first ? second : first;

      // Let the leader clear a few slots, then kill it mid-stride.
      await waitFor(async () => (await clearedSlots(databaseUrl)).length >= 3, 20_000);
      const killedAtMs = Date.now();
      await leader.kill9();
      await waitFor(async () => (await roles([standby]))[0] === 'leader', 10_000);
      const takeoverMs = Date.now() - killedAtMs;
      // Within one market period of real time (a period is SLOT_MS / SPEED real ms).
      expect(takeoverMs).toBeLessThan(SLOT_MS / SPEED);
      const clearedBefore = (await clearedSlots(databaseUrl)).length;
      await waitFor(async () => (await clearedSlots(databaseUrl)).length >= clearedBefore + 3, 20_000);
      expect(await standby.terminate()).toBe(0);

      // Every slot from the first to the last cleared exactly once (the primary key allows one result per
      // slot; no gap means the takeover skipped none), and the ledger verifies.
      const cleared = await clearedSlots(databaseUrl);
      for (let i = 1; i < cleared.length; i++)
        expect((cleared[i] as number) - (cleared[i - 1] as number)).toBe(SLOT_MS);
      const verify = await runInProcess(['ledger', 'verify', '--json'], dataDir, undefined, {
        DATABASE_URL: databaseUrl,
      });
      expect(verify.status).toBe(0);
      console.log(
        `failover: standby led ${takeoverMs} ms after the kill; ${cleared.length} slots cleared once each`,
      );
    }, 120_000);
  });
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function roles(servers: readonly ServeProcess[]): Promise<string[]> {
  return Promise.all(
    servers.map(async (server) => {
      try {
        const response = await fetch(`${server.url}/healthz`);
        return ((await response.json()) as { role?: string }).role ?? 'unknown';
      } catch {
        return 'down';
      }
    }),
  );
}

async function clearedSlots(databaseUrl: string): Promise<number[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const rows = await client.query<{ slot_start_ms: string }>(
      'SELECT slot_start_ms FROM clearing_results ORDER BY slot_start_ms',
    );
    return rows.rows.map((r) => Number(r.slot_start_ms));
  } finally {
    await client.end();
  }
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
