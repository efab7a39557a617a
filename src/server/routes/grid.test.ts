import { afterAll, beforeAll, expect, it } from 'vitest';
import { GridFeeder } from '../../live/grid/grid-feeder.js';
import { solveGridState } from '../../live/grid/grid-solve.js';
import { saveGridState } from '../../live/grid/grid-state-repository.js';
import { TEST_FEEDER } from '../../live/grid/grid-test-feeder.fixture.js';
import type { Role } from '../auth/roles.js';
import {
  apiHarness,
  describeOnStores,
  MARKET_ID,
  SLOT_MS,
  SLOT_START_MS,
  type ApiHarness,
} from '../api-test.fixture.js';

/** p1 is the prosumer's own, p2 the aggregator's member, p9 nobody's. */
const feeder = new GridFeeder({
  marketId: MARKET_ID,
  network: TEST_FEEDER,
  connections: [
    { participantId: 'p1', bus: 'A', phase: 'a' },
    { participantId: 'p2', bus: 'B', phase: 'b' },
    { participantId: 'p9', bus: 'B', phase: 'c' },
  ],
  substationCapacityKw: 500,
});

const LATER_MS = SLOT_START_MS + SLOT_MS;

describeOnStores('grid routes', (kind) => {
  let h: ApiHarness;
  let bare: ApiHarness;
  beforeAll(async () => {
    h = await apiHarness(kind, { grid: feeder.view });
    bare = await apiHarness(kind);
    const flow = feeder.createFlow();
    const solved = (slotStartMs: number, kw: number) =>
      solveGridState(
        feeder,
        flow,
        {
          marketId: MARKET_ID,
          slotStartMs,
          loadKw: Float64Array.from([kw, kw, kw]),
          connectionsWithoutReadings: 0,
        },
        () => slotStartMs + SLOT_MS + 60_000,
        () => 0,
      );
    await saveGridState(h.store.store.db, solved(SLOT_START_MS, 10));
    await saveGridState(h.store.store.db, solved(LATER_MS, 300));
    // Two harnesses, each hashing a secret per role: slow on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await h?.dispose();
    await bare?.dispose();
  });

  const get = (harness: ApiHarness, role: Role | undefined, url: string) =>
    harness.call(role, { method: 'GET', url });
  const ids = (rows: readonly { participantId: string }[]) => rows.map((r) => r.participantId);

  it('draws the feeder: buses with coordinates, branches, substation and capacity, every connection for the DSO', async () => {
    const response = await get(h, 'dso', '/api/grid/feeder');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({
      feederId: 'test-3-bus',
      marketId: MARKET_ID,
      substation: { bus: 'S', capacityKw: 500 },
    });
    expect(body.buses).toContainEqual({ id: 'B', xM: 50, yM: -200, kvLL: 4.16 });
    expect(body.lines).toContainEqual({ id: 'A-B', fromBus: 'A', toBus: 'B', kind: 'line', ratingA: 100 });
    expect(ids(body.connections)).toEqual(['p1', 'p2', 'p9']);
    expect(body.connections[0]).toEqual({ participantId: 'p1', bus: 'A', phase: 'a' });
  });

  it('gives the latest solved state, or the slot asked for, with voltages, flows, violations and envelopes', async () => {
    const latest = await get(h, 'utility', '/api/grid/state');
    expect(latest.statusCode).toBe(200);
    const heavy = latest.json();
    expect(heavy).toMatchObject({ slotStartMs: LATER_MS, converged: true, capacityKw: 500 });
    expect(heavy.substationKw).toBeGreaterThan(500);
    expect(heavy.vMinPu).toBeLessThan(0.95);
    expect(heavy.buses.map((b: { id: string }) => b.id)).toEqual(['S', 'A', 'B']);
    expect(heavy.lines.find((l: { id: string }) => l.id === 'A-B').loadingPct).toBeGreaterThan(100);
    expect(
      heavy.violations.map((v: { kind: string; elementId: string }) => `${v.kind}:${v.elementId}`),
    ).toEqual(expect.arrayContaining(['undervoltage:B', 'overload:A-B', 'substation:S']));
    expect(ids(heavy.envelopes)).toEqual(['p1', 'p2', 'p9']);
    const first = await get(h, 'market-operator', `/api/grid/state?slotStartMs=${SLOT_START_MS}`);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({ slotStartMs: SLOT_START_MS, converged: true, violations: [] });
    expect(first.json().envelopes[0].importLimitKw).toBeGreaterThan(10);
  });

  it('lists the history of states with the summary the chart needs', async () => {
    const response = await get(
      h,
      'dso',
      `/api/grid/states?fromMs=${SLOT_START_MS}&toMs=${LATER_MS + SLOT_MS}`,
    );
    expect(response.statusCode).toBe(200);
    const { states } = response.json();
    expect(states.map((s: { slotStartMs: number }) => s.slotStartMs)).toEqual([SLOT_START_MS, LATER_MS]);
    expect(states[1]).toMatchObject({ capacityKw: 500, converged: true, violationCount: 3 });
    expect(Object.keys(states[1]).sort()).toEqual(
      [
        'capacityKw',
        'converged',
        'maxLoadingPct',
        'slotStartMs',
        'solvedMs',
        'substationKw',
        'vMaxPu',
        'vMinPu',
        'violationCount',
      ].sort(),
    );
    expect(states[1].maxLoadingPct).toBeGreaterThan(100);
    // The default is the day before the clock's now (the harness clock is before both slots).
    expect((await get(h, 'regulator', '/api/grid/states')).json().states).toEqual([]);
    const only = await get(h, 'regulator', `/api/grid/states?fromMs=${LATER_MS}&toMs=${LATER_MS + 1}`);
    expect(only.json().states).toHaveLength(1);
  });

  it('shows each role only the connections and envelopes in its scope', async () => {
    const seen = async (role: Role) => {
      const feederBody = (await get(h, role, '/api/grid/feeder')).json();
      const state = (await get(h, role, '/api/grid/state')).json();
      expect(state.violations.length).toBe(3);
      return { connections: ids(feederBody.connections), envelopes: ids(state.envelopes) };
    };
    expect(await seen('prosumer')).toEqual({ connections: ['p1'], envelopes: ['p1'] });
    expect(await seen('aggregator')).toEqual({ connections: ['p2'], envelopes: ['p2'] });
    expect(await seen('regulator')).toEqual({ connections: [], envelopes: [] });
    expect(await seen('der-developer')).toEqual({ connections: [], envelopes: [] });
    expect(await seen('dso')).toEqual({ connections: ['p1', 'p2', 'p9'], envelopes: ['p1', 'p2', 'p9'] });
    expect((await get(h, undefined, '/api/grid/feeder')).statusCode).toBe(401);
  });

  it('streams grid-solved to every role, the regulator and a prosumer included (it names no participant)', async () => {
    const base = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const roles = ['prosumer', 'regulator', 'dso'] as const;
    const readers = await Promise.all(
      roles.map(async (role) => {
        const response = await fetch(`${base}/api/events`, {
          headers: { authorization: `Bearer ${h.tokens[role]}` },
        });
        expect(response.status, role).toBe(200);
        return response.body!.getReader();
      }),
    );
    h.events.publish(
      {
        type: 'grid-solved',
        marketId: MARKET_ID,
        slotStartMs: LATER_MS,
        converged: true,
        substationKw: 931,
        vMinPu: 0.92,
        vMaxPu: 1,
        violationCount: 3,
      },
      LATER_MS + SLOT_MS,
    );
    for (const [k, reader] of readers.entries()) {
      let text = '';
      while (!text.includes('event: grid-solved')) {
        const { value, done } = await reader.read();
        if (done) break;
        text += new TextDecoder().decode(value);
      }
      expect(text, roles[k]).toMatch(/event: grid-solved\nid: \d+\ndata: \{[^}]*"violationCount":3/);
      await reader.cancel();
    }
  });

  it('answers 404 with a coded problem when the platform has no feeder', async () => {
    for (const url of ['/api/grid/feeder', '/api/grid/state', `/api/grid/states?fromMs=0&toMs=1000`]) {
      const response = await get(bare, 'dso', url);
      expect([response.statusCode, response.json().code]).toEqual([404, 'TE_ERR_NOT_FOUND']);
      expect(response.json().hint).toMatch(/grid\.feeder/);
    }
  });

  it('refuses bad slot times and ranges with coded 4xx problems, and says when a slot has no state', async () => {
    for (const query of ['abc', '-1', '1.5', '1e30', '']) {
      const response = await get(h, 'dso', `/api/grid/state?slotStartMs=${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toMatch(/^TE_ERR_/);
    }
    const unknown = await get(h, 'dso', `/api/grid/state?slotStartMs=${SLOT_START_MS - SLOT_MS}`);
    expect([unknown.statusCode, unknown.json().code, unknown.json().path]).toEqual([
      404,
      'TE_ERR_NOT_FOUND',
      'query.slotStartMs',
    ]);
    const bad = [
      `fromMs=${LATER_MS}&toMs=${SLOT_START_MS}`,
      `fromMs=0&toMs=${32 * 86_400_000}`,
      'fromMs=x',
      'toMs=-5',
      'since=1',
    ];
    for (const query of bad) {
      const response = await get(h, 'dso', `/api/grid/states?${query}`);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().code).toMatch(/^TE_ERR_/);
    }
    expect((await get(h, 'dso', '/api/grid/state?slotStartMs=1&extra=2')).statusCode).toBe(400);
  });
});
