import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { isTeError } from '../../core/errors.js';
import { ingestMeterReadings } from '../../store/meter-reading-repository.js';
import { ManualClock } from '../clock.js';
import type { MarketEvent } from '../market-events.js';
import { startPlatform, type RunningPlatform } from '../platform.js';
import { parseServerConfig, type ServerConfig } from '../server-config.js';
import { envelopeOfEvent, type EventLike } from '../../openadr3/market/market-mapping.js';
import { registerParticipant } from '../../store/registry-repository.js';
import { getGridState } from './grid-state-repository.js';
import { TEST_CONNECTIONS, TEST_FEEDER } from './grid-test-feeder.fixture.js';
import { loadConfiguredGrid, parseConnectionsCsv, platformGridFeeder } from './platform-grid.js';

const T0 = 1_767_225_600_000;
const SLOT_MS = 300_000;

const dirs: string[] = [];
const running: RunningPlatform[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((p) => p.stop()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tenet-grid-'));
  dirs.push(dir);
  return dir;
}

function config(text: string): ServerConfig {
  const parsed = parseServerConfig(`server:\n  port: 0\n${text}`, 'test.yaml');
  if (!parsed.ok) throw new Error(parsed.error.map((e) => e.toLine()).join('\n'));
  return parsed.value;
}

function codeOf(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return isTeError(error) ? `${error.code} ${error.path}` : String(error);
  }
  return 'no error';
}

describe('the grid configuration', () => {
  it('reads the grid section and its connections file, defaulting the market and the capacity', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'homes.csv'), 'participantId,bus,phase\np1,A,a\n# a comment\np2,B,B\n');
    const parsed = config(
      'grid:\n  feeder: feeders/x\n  connections: homes.csv\nmarkets:\n  - id: m1\n    name: One\n',
    );
    expect(parsed.grid).toEqual({
      feeder: 'feeders/x',
      connections: 'homes.csv',
      backgroundLoadFactor: 0,
      regulators: 'automatic',
      publishEnvelopes: false,
    });
    const asked: string[] = [];
    const grid = await loadConfiguredGrid(parsed.grid!, dir, async (path) => {
      asked.push(path);
      return TEST_FEEDER;
    });
    expect(asked).toEqual(['feeders/x']);
    expect(grid.connections).toEqual([
      { participantId: 'p1', bus: 'A', phase: 'a' },
      { participantId: 'p2', bus: 'B', phase: 'b' },
    ]);
    const feeder = platformGridFeeder(grid, parsed.markets);
    expect([feeder.marketId, feeder.capacityKw]).toEqual(['m1', 5000]);
  });

  it('refuses an unknown key, a bad phase, a missing file, an unknown market and a bus the feeder lacks', async () => {
    const unknown = parseServerConfig('grid:\n  feeder: f\n  connections: c\n  colour: red\n', 't.yaml');
    expect(unknown.ok).toBe(false);
    expect(codeOf(() => parseConnectionsCsv('participantId,bus,phase\np1,A,d\n', 'homes.csv'))).toBe(
      'TE_ERR_FEEDER_FORMAT homes.csv:2',
    );
    expect(codeOf(() => parseConnectionsCsv('participant,bus\n', 'homes.csv'))).toBe(
      'TE_ERR_FEEDER_FORMAT homes.csv:1',
    );
    const missing = await loadConfiguredGrid(
      {
        feeder: 'f',
        connections: 'nope.csv',
        backgroundLoadFactor: 0,
        regulators: 'automatic',
        publishEnvelopes: false,
      },
      tempDir(),
      async () => TEST_FEEDER,
    ).catch((error: unknown) => (isTeError(error) ? error.code : String(error)));
    expect(missing).toBe('TE_ERR_FILE_NOT_FOUND');
    const markets = config('').markets;
    expect(
      codeOf(() =>
        platformGridFeeder({ network: TEST_FEEDER, connections: [], marketId: 'elsewhere' }, markets),
      ),
    ).toBe('TE_ERR_CONFIG grid.marketId');
    expect(
      codeOf(() =>
        platformGridFeeder(
          { network: TEST_FEEDER, connections: [{ participantId: 'p1', bus: '999', phase: 'a' }] },
          markets,
        ),
      ),
    ).toBe('TE_ERR_CONFIG grid.connections[0]');
  });
});

describe('the platform with a feeder', () => {
  it('solves a settled slot from its readings: a state in the store, from the API, and a grid-solved event', async () => {
    const dataDir = tempDir();
    const clock = new ManualClock(T0 + 1_000);
    const platform = await startPlatform({
      config: config('markets:\n  - id: m1\n    name: One\n'),
      dataDir,
      clock,
      log: () => {},
      grid: { network: TEST_FEEDER, connections: TEST_CONNECTIONS, substationCapacityKw: 500 },
    });
    running.push(platform);
    expect(platform.grid?.marketId).toBe('m1');
    const events: MarketEvent[] = [];
    const solved = new Promise<MarketEvent>((resolve) =>
      platform.events.subscribe((event) => {
        events.push(event);
        if (event.type === 'grid-solved') resolve(event);
      }),
    );
    const ingested = await ingestMeterReadings(
      platform.store.db,
      TEST_CONNECTIONS.map((c) => ({ meterId: c.participantId, timeMs: T0, energyWh: 25_000 })),
    );
    expect(ingested.ok).toBe(true);
    // Past the slot's end and its settlement delay: the operator clears and settles it, then the monitor.
    clock.set(T0 + SLOT_MS + 61_000);
    const event = await solved;
    expect(event).toMatchObject({ type: 'grid-solved', marketId: 'm1', slotStartMs: T0, converged: true });
    const settledAt = events.findIndex((e) => e.type === 'slot-settled' && e.slotStartMs === T0);
    expect(settledAt).toBeGreaterThanOrEqual(0);
    expect(settledAt).toBeLessThan(events.indexOf(event));
    const state = await getGridState(platform.store.db, 'm1', T0);
    // 25 kWh in five minutes is 300 kW per connection: the lateral to B is overloaded.
    expect(state?.meteredKw).toBeCloseTo(900, 6);
    expect(state?.violations.map((v) => `${v.kind}:${v.elementId}`)).toContain('overload:A-B');

    const credentials = JSON.parse(readFileSync(platform.operatorCredentialsFile!, 'utf8')) as {
      client_id: string;
      client_secret: string;
    };
    const token = await fetch(`${platform.url}/oauth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: credentials.client_id,
        client_secret: credentials.client_secret,
      }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const fromApi = await fetch(`${platform.url}/api/grid/state`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(fromApi.status).toBe(200);
    expect(await fromApi.json()).toMatchObject({ slotStartMs: T0, converged: true, capacityKw: 500 });
    const feeder = await fetch(`${platform.url}/api/grid/feeder`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(((await feeder.json()) as { connections: unknown[] }).connections).toHaveLength(3);
  }, 30_000);

  it("publishes each registered connection's envelope for the next slot as the DSO after the solve (grid.publishEnvelopes)", async () => {
    const logged: string[] = [];
    const clock = new ManualClock(T0 + 1_000);
    const platform = await startPlatform({
      config: config('markets:\n  - id: m1\n    name: One\n'),
      dataDir: tempDir(),
      clock,
      log: (line) => logged.push(line),
      grid: {
        network: TEST_FEEDER,
        connections: TEST_CONNECTIONS,
        substationCapacityKw: 500,
        publishEnvelopes: true,
      },
    });
    running.push(platform);
    const db = platform.store.db;
    // p3 is metered but not registered: it feeds the solve and gets no envelope.
    for (const id of ['p1', 'p2']) {
      await registerParticipant(db, { id, role: 'prosumer', name: id, createdMs: T0 });
    }
    const solved = new Promise<void>((resolve) =>
      platform.events.subscribe((event) => {
        if (event.type === 'grid-solved') resolve();
      }),
    );
    await ingestMeterReadings(
      db,
      TEST_CONNECTIONS.map((c) => ({ meterId: c.participantId, timeMs: T0, energyWh: 5_000 })),
    );
    const now = T0 + SLOT_MS + 61_000;
    clock.set(now);
    await solved;
    const nextSlot = (Math.floor(now / SLOT_MS) + 1) * SLOT_MS;
    let envelopes: ReturnType<typeof envelopeOfEvent>[] = [];
    for (let attempt = 0; attempt < 100 && envelopes.length < 2; attempt++) {
      const rows = await db
        .selectFrom('openadr_objects')
        .select('body')
        .where('object_type', '=', 'EVENT')
        .execute();
      envelopes = rows
        .map((row) => envelopeOfEvent(JSON.parse(row.body) as EventLike))
        .filter((e) => e !== undefined);
      if (envelopes.length < 2) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const state = await getGridState(db, 'm1', T0);
    const expected = state?.envelopes.filter((e) => e.participantId !== 'p3') ?? [];
    expect(expected).toHaveLength(2);
    expect(
      envelopes
        .map((e) => ({
          participantId: e?.participantId,
          slotStartMs: e?.slotStartMs,
          importLimitKw: e?.importLimitKw ?? null,
          exportLimitKw: e?.exportLimitKw ?? null,
        }))
        .sort((a, b) => String(a.participantId).localeCompare(String(b.participantId))),
    ).toEqual(
      expected.map((e) => ({
        participantId: e.participantId,
        slotStartMs: nextSlot,
        importLimitKw: e.importLimitKw,
        exportLimitKw: e.exportLimitKw,
      })),
    );
    const audit = await db.selectFrom('audit_log').select(['actor']).execute();
    expect(audit.map((row) => row.actor).join(' ')).toContain('grid-monitor');
    expect(logged.join('\n')).toContain('1 connection(s) have no registered participant');
  }, 30_000);
});
