import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../main.js';

const dir = mkdtempSync(join(tmpdir(), 'tenet-demo-clock-'));
const defaultScenario = fileURLToPath(new URL('../../../scenarios/default.yaml', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PERIOD_MS = 300_000;

interface Login {
  role: string;
  clientId: string;
  clientSecret: string;
  participantId?: string;
}

async function until<T>(what: string, read: () => Promise<T | undefined> | T | undefined, ms = 40_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('tenet demo clock controls', () => {
  let stdout = '';
  let stderr = '';
  afterAll(() => {
    if (process.env.DEMO_CLOCK_TEST_LOG === '1') console.log(stdout, stderr);
  });
  it('offers a login per role; pausing stops the slots clearing, a step clears the next one', async () => {
    // Two hours of the default day, six homes, at 600x (a 5-minute slot in half a real second).
    const scenario = join(dir, 'short.yaml');
    writeFileSync(scenario, `extends: ${defaultScenario}\nend: 2026-07-15T02:00:00-07:00\n`);
    const out = new PassThrough();
    out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const err = new PassThrough();
    err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const stdin = new PassThrough();
    stdin.end('');
    const argv = ['demo', scenario, '--speed', '600', '--seed', '43', '--homes', '6', '--port', '0'];
    const running = runCli([...argv, '--data-dir', dir, '--no-simulation', '--exit-when-done'], {
      stdout: out,
      stderr: err,
      stdin,
      cwd: dir,
      env: {},
    });

    const base = await until('the dashboard line', () => {
      const match = /tenet demo: open (http:\/\/127\.0\.0\.1:\d+)\/ for the dashboard/.exec(stdout);
      return match?.[1];
    });
    const logins = await until('six logins', async () => {
      const response = await fetch(`${base}/api/demo/logins`);
      expect(response.status).toBe(200);
      const body = (await response.json()) as { logins: Login[] };
      return body.logins.length === 6 ? body.logins : undefined;
    });
    expect(logins.map((login) => login.role).sort()).toEqual([
      'aggregator',
      'dso',
      'market-operator',
      'prosumer',
      'regulator',
      'utility',
    ]);
    expect(logins.find((login) => login.role === 'aggregator')?.participantId).toBe('demo-aggregator');
    expect(logins.find((login) => login.role === 'prosumer')?.participantId).toMatch(/\S/);

    const tokenOf = async (login: Login) => {
      const response = await fetch(`${base}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: login.clientId,
          client_secret: login.clientSecret,
        }).toString(),
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { access_token: string }).access_token;
    };
    const operator = await tokenOf(logins.find((login) => login.role === 'market-operator') as Login);
    const aggregator = await tokenOf(logins.find((login) => login.role === 'aggregator') as Login);
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const cleared = async () => {
      const slots = await call(operator, 'GET', '/api/markets/community/slots?limit=2000');
      return (slots.body as unknown as { clearedAtMs: number | null }[]).filter((s) => s.clearedAtMs !== null)
        .length;
    };

    // The aggregator represents the first of the six homes (every tenth), and sees it.
    const represented = await call(aggregator, 'GET', '/api/participants');
    expect((represented.body as unknown as { id: string }[]).map((p) => p.id)).toContain('demo-aggregator');
    expect((represented.body as unknown as unknown[]).length).toBe(2);

    // Let a few slots clear, then pause.
    await until('two cleared slots', async () => ((await cleared()) >= 2 ? true : undefined));
    const paused = await call(operator, 'PUT', '/api/demo/clock', { paused: true });
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({
      paused: true,
      speed: 600,
      seed: 43,
      homes: 6,
      marketPeriodMs: PERIOD_MS,
    });
    const pausedAtMs = paused.body.nowMs as number;
    // A slot whose gate had just passed may still be clearing: let it finish.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = await cleared();
    // 1.5 real seconds is three slots at 600x: none clears while paused.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await cleared()).toBe(before);
    expect((await call(operator, 'GET', '/api/demo')).body).toMatchObject({
      paused: true,
      nowMs: pausedAtMs,
    });
    expect((await call(aggregator, 'POST', '/api/demo/clock/step')).status).toBe(403);

    const stepped = await call(operator, 'POST', '/api/demo/clock/step');
    expect(stepped.status).toBe(200);
    expect(stepped.body).toMatchObject({ paused: true, nowMs: pausedAtMs + PERIOD_MS });
    // One period passes exactly one gate: the next slot clears, and no more.
    await until('the stepped slot cleared', async () =>
      (await cleared()) === before + 1 ? true : undefined,
    );
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(await cleared()).toBe(before + 1);

    // Run out the rest of the scenario quickly; the homes trade on and the ledger still verifies.
    const resumed = await call(operator, 'PUT', '/api/demo/clock', { paused: false, speed: 3600 });
    expect(resumed.body).toMatchObject({ paused: false, speed: 3600 });
    const status = await running;
    expect(stderr).toBe('');
    expect(status).toBe(0);
    expect(stdout).toMatch(/ledger verified: \d+ entries/);
  }, 90_000);
});
