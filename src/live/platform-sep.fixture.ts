/**
 * Test helper: live platforms with the IEEE 2030.5 server on port 0 (SQLite, or a PostgreSQL database of
 * their own), the market operator's API calls, and device certificates from the platform's development CA.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { identityFromCertificate } from '../ieee2030-5/identity.js';
import { ensureSepPki, issueDeviceCertificate } from '../ieee2030-5/pki/index.js';
import type { Pem } from '../ieee2030-5/server/test-pki.fixture.js';
import { OPERATOR_CREDENTIALS_FILE } from '../server/auth/index.js';
import { adminQuery, TEST_DATABASE_URL, testSchemaName } from '../store/test-databases.fixture.js';
import { ManualClock } from './clock.js';
import { startPlatform, type RunningPlatform } from './platform.js';
import { parseServerConfig, type ServerConfig } from './server-config.js';

/** 2026-11-24 12:00 UTC, a slot boundary of the default five-minute market. */
export const T0 = Date.UTC(2026, 10, 24, 12);
export const SLOT_MS = 300_000;
export const NEXT_SLOT = T0 + SLOT_MS;
/** A registration PIN with a valid check digit. */
export const PIN = 111_115;

export const STORE_KINDS: ('sqlite' | 'postgres')[] =
  TEST_DATABASE_URL === '' ? ['sqlite'] : ['sqlite', 'postgres'];

function config(text: string): ServerConfig {
  const parsed = parseServerConfig(`server:\n  port: 0\n${text}`, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  return parsed.value;
}

export function databaseUrlOf(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

export interface StartOptions {
  readonly clock?: ManualClock;
  readonly databaseUrl?: string | undefined;
  /** Reuse a data directory (a restart); default a fresh one. */
  readonly dataDir?: string;
}

/** Platforms, data directories and databases made by one test file, cleaned up by `dispose`. */
export function sepPlatforms() {
  const dirs: string[] = [];
  const running: RunningPlatform[] = [];
  const databases: string[] = [];
  const servers: Server[] = [];
  return {
    running,
    servers,
    databases,
    /**
     * A database of its own: the platform's migrator and leader lease work per database (a schema would
     * share the lease key and the migrator's table lookup with every other test on the server).
     */
    async databaseUrlFor(kind: 'sqlite' | 'postgres'): Promise<string | undefined> {
      if (kind === 'sqlite') return undefined;
      const name = testSchemaName();
      await adminQuery(TEST_DATABASE_URL, `CREATE DATABASE ${name}`);
      databases.push(name);
      return databaseUrlOf(name);
    },
    async start(
      text: string,
      options: StartOptions = {},
    ): Promise<{ platform: RunningPlatform; dataDir: string; lines: string[] }> {
      const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tenet-platform-sep-'));
      if (options.dataDir === undefined) dirs.push(dataDir);
      const lines: string[] = [];
      const platform = await startPlatform({
        config: config(text),
        dataDir,
        clock: options.clock ?? new ManualClock(T0),
        log: (line) => lines.push(line),
        ...(options.databaseUrl === undefined ? {} : { databaseUrl: options.databaseUrl }),
      });
      running.push(platform);
      return { platform, dataDir, lines };
    },
    async stop(platform: RunningPlatform): Promise<void> {
      await platform.stop();
      running.splice(running.indexOf(platform), 1);
    },
    async dispose(): Promise<void> {
      await Promise.all(running.splice(0).map((p) => p.stop()));
      for (const name of databases.splice(0))
        await adminQuery(TEST_DATABASE_URL, `DROP DATABASE ${name} WITH (FORCE)`);
      for (const server of servers.splice(0)) server.close();
      for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The market operator's JSON calls on the platform's API. */
export async function operatorApi(platform: RunningPlatform, dataDir: string) {
  const credentials = JSON.parse(readFileSync(join(dataDir, OPERATOR_CREDENTIALS_FILE), 'utf8')) as {
    client_id: string;
    client_secret: string;
  };
  const tokenResponse = await fetch(`${platform.url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      grant_type: 'client_credentials',
      client_id: credentials.client_id,
      client_secret: credentials.client_secret,
    }),
  });
  const tokenText = await tokenResponse.text();
  expect(tokenResponse.status, tokenText).toBe(200);
  const { access_token: token } = JSON.parse(tokenText) as { access_token: string };
  return async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${platform.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  };
}

/** A device certificate from the platform's development CA, with its LFDI. */
export async function deviceCertificate(
  dataDir: string,
  commonName: string,
): Promise<{ pem: Pem; lfdi: string; caCertPem: string; caKeyPem: string }> {
  const pki = await ensureSepPki(dataDir);
  const issued = issueDeviceCertificate(
    { certPem: pki.caCertPem, keyPem: pki.caKeyPem },
    { commonName, validDays: 2, nowMs: Date.now() },
  );
  const pem = { cert: issued.certPem, key: issued.keyPem };
  return {
    pem,
    lfdi: identityFromCertificate(pem.cert).lfdi,
    caCertPem: pki.caCertPem,
    caKeyPem: pki.caKeyPem,
  };
}

export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
