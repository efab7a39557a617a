import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { isTeError } from '../../core/errors.js';
import { saveMarket } from '../../store/market-repository.js';
import { ingestMeterReadings } from '../../store/meter-reading-repository.js';
import { openSlot } from '../../store/registry-repository.js';
import {
  TEST_DATABASE_URL,
  TEST_STORE_BACKENDS,
  type TestStore,
} from '../../store/test-databases.fixture.js';
import { ManualClock } from '../clock.js';
import { InProcessEventBus, type MarketEvent } from '../market-events.js';
import { DEFAULT_MARKET_RULES } from '../market-rules.js';
import { GridFeeder } from './grid-feeder.js';
import { GridMonitor } from './grid-monitor.js';
import {
  getGridState,
  GRID_STATE_RETENTION_MS,
  listGridStates,
  pruneGridStates,
} from './grid-state-repository.js';
import { TEST_CONNECTIONS, TEST_FEEDER } from './grid-test-feeder.fixture.js';

const SLOT_MS = 300_000;
const T0 = 1_767_225_600_000;
const MARKET = 'm1';

const feeder = new GridFeeder({
  marketId: MARKET,
  network: TEST_FEEDER,
  connections: TEST_CONNECTIONS,
  substationCapacityKw: 500,
});

describe('the grid feeder', () => {
  it('refuses a connection to a bus or phase the feeder lacks, to the source bus, or twice', () => {
    const refused = (connections: { participantId: string; bus: string; phase: 'a' | 'b' | 'c' }[]) => {
      try {
        new GridFeeder({ marketId: MARKET, network: TEST_FEEDER, connections, substationCapacityKw: 500 });
      } catch (error) {
        return isTeError(error) ? `${error.code} ${error.path}` : String(error);
      }
      return 'accepted';
    };
    expect(refused([{ participantId: 'p1', bus: 'Z', phase: 'a' }])).toBe(
      'TE_ERR_CONFIG grid.connections[0]',
    );
    expect(refused([{ participantId: 'p1', bus: 'S', phase: 'a' }])).toBe(
      'TE_ERR_CONFIG grid.connections[0]',
    );
    expect(
      refused([
        { participantId: 'p1', bus: 'A', phase: 'a' },
        { participantId: 'p1', bus: 'B', phase: 'b' },
      ]),
    ).toBe('TE_ERR_CONFIG grid.connections[1]');
    expect(refused([{ participantId: 'p1', bus: 'A', phase: 'b' }])).toBe('accepted');
  });

  it('draws the feeder: buses with coordinates and nominal kV, every branch with its rating, the substation', () => {
    expect(feeder.view.buses).toEqual([
      { id: 'S', xM: 0, yM: 0, kvLL: 4.16 },
      { id: 'A', xM: 0, yM: -100, kvLL: 4.16 },
      { id: 'B', xM: 50, yM: -200, kvLL: 4.16 },
    ]);
    expect(feeder.view.lines).toEqual([
      { id: 'S-A', fromBus: 'S', toBus: 'A', kind: 'line', ratingA: 400 },
      { id: 'A-B', fromBus: 'A', toBus: 'B', kind: 'line', ratingA: 100 },
    ]);
    expect(feeder.view.substation).toEqual({ bus: 'S', capacityKw: 500 });
  });
});

describe.each(TEST_STORE_BACKENDS)('the grid monitor on %s', (name, open) => {
  const skip = name === 'PostgreSQL' && TEST_DATABASE_URL === '';
  let store: TestStore;
  const clock = new ManualClock(T0);
  const events = new InProcessEventBus();
  const published: MarketEvent[] = [];
  events.subscribe((event) => published.push(event));
  let leader = true;
  const logged: string[] = [];
  let monitor: GridMonitor;

  /** A slot k periods after T0 with each connection's average kW as readings (one per minute). */
  async function slotWithLoads(k: number, kw: readonly (number | undefined)[]): Promise<number> {
    const startMs = T0 + k * SLOT_MS;
    await openSlot(store.store.db, {
      marketId: MARKET,
      startMs,
      endMs: startMs + SLOT_MS,
      gateClosureMs: startMs,
    });
    const readings = TEST_CONNECTIONS.flatMap((c, i) => {
      const load = kw[i];
      if (load === undefined) return [];
      return Array.from({ length: 5 }, (_, m) => ({
        meterId: c.participantId,
        timeMs: startMs + m * 60_000,
        energyWh: Math.round((load * 1000) / 60),
      }));
    });
    const ingested = await ingestMeterReadings(store.store.db, readings);
    if (!ingested.ok) throw ingested.error;
    return startMs;
  }

  beforeAll(async () => {
    if (skip) return;
    store = await open();
    await saveMarket(store.store.db, { id: MARKET, name: 'M', createdMs: T0, rules: DEFAULT_MARKET_RULES });
    monitor = new GridMonitor({
      feeder,
      db: store.store.db,
      clock,
      events,
      isLeader: () => leader,
      log: (line) => logged.push(line),
    });
    monitor.start();
  });

  afterAll(async () => {
    if (skip) return;
    await monitor.stop();
    await store.dispose();
  });

  it.skipIf(skip)(
    'solves a settled slot from its readings: voltages fall as the load grows, nothing violated at light load',
    async () => {
      const light = await monitor.solveSlot(await slotWithLoads(0, [10, 10, 10]));
      const heavier = await monitor.solveSlot(await slotWithLoads(1, [100, 100, 100]));
      expect(light.converged).toBe(true);
      expect(light.meteredKw).toBeCloseTo(30, 0);
      expect(light.violations).toEqual([]);
      expect(light.substationKw).toBeGreaterThan(30);
      expect(heavier.vMinPu).toBeLessThan((light.vMinPu ?? 0) - 0.01);
      expect(heavier.lossesKw).toBeGreaterThan((light.lossesKw ?? 0) * 10);
      const busB = (state: typeof light) => state.buses.find((b) => b.id === 'B')?.vMinPu ?? 0;
      expect(busB(heavier)).toBeLessThan(busB(light));
      expect(heavier.lines.find((l) => l.id === 'A-B')?.loadingPct).toBeGreaterThan(
        light.lines.find((l) => l.id === 'A-B')?.loadingPct ?? 0,
      );
      // 100 kW a phase at 2.4 kV is about 42 A, plus the 0.95 power factor's reactive current.
      expect(heavier.lines.find((l) => l.id === 'A-B')?.currentA).toBeGreaterThan(40);
      // Envelopes per connection, as the simulator computes them: more headroom at light load.
      expect(light.envelopes.map((e) => e.participantId)).toEqual(['p1', 'p2', 'p3']);
      const p2 = (state: typeof light) => state.envelopes[1]?.importLimitKw ?? 0;
      expect(p2(light) - 10).toBeGreaterThan(p2(heavier) - 100);
    },
  );

  it.skipIf(skip)(
    'reports an overloaded line, an undervoltage and the substation over capacity as violations',
    async () => {
      const state = await monitor.solveSlot(await slotWithLoads(2, [300, 300, 300]));
      expect(state.converged).toBe(true);
      const kinds = state.violations.map((v) => `${v.kind}:${v.elementId}`);
      expect(kinds).toEqual(expect.arrayContaining(['undervoltage:B', 'overload:A-B', 'substation:S']));
      expect(kinds).not.toContain('overload:S-A');
      const overload = state.violations.find((v) => v.kind === 'overload');
      expect(overload?.value).toBeGreaterThan(100);
      expect(overload?.limit).toBe(100);
      expect(state.violations.find((v) => v.kind === 'undervoltage')?.limit).toBe(0.95);
    },
  );

  it.skipIf(skip)(
    'stores a power flow that does not converge as converged=false, and the next slot solves again',
    async () => {
      const failed = await monitor.solveSlot(await slotWithLoads(3, [30_000, 30_000, 30_000]));
      expect(failed).toMatchObject({
        converged: false,
        vMinPu: null,
        substationKw: null,
        buses: [],
        lines: [],
      });
      expect(failed.reason).toMatch(/converge/);
      expect(failed.envelopes.every((e) => e.importLimitKw === null)).toBe(true);
      expect((await getGridState(store.store.db, MARKET, failed.slotStartMs))?.converged).toBe(false);
      const after = await monitor.solveSlot(await slotWithLoads(4, [10, 10, 10]));
      expect(after.converged).toBe(true);
    },
  );

  it.skipIf(skip)('solves a connection without readings as 0 kW and says how many had none', async () => {
    const state = await monitor.solveSlot(await slotWithLoads(5, [10, undefined, undefined]));
    expect(state.connectionsWithoutReadings).toBe(2);
    expect(state.meteredKw).toBeCloseTo(10, 0);
  });

  it.skipIf(skip)(
    'listens for slot-settled off the clearing path, skips to the newest slot when behind, and publishes grid-solved',
    async () => {
      const starts = [
        await slotWithLoads(6, [5, 5, 5]),
        await slotWithLoads(7, [6, 6, 6]),
        await slotWithLoads(8, [7, 7, 7]),
      ];
      published.length = 0;
      const skippedBefore = monitor.skipped;
      for (const slotStartMs of starts) {
        events.publish(
          { type: 'slot-settled', marketId: MARKET, slotStartMs, entryCount: 1, lastHash: 'h' },
          clock.nowMs(),
        );
        // The operator publishing goes on at once: nothing is solved during the publish.
        expect(published.filter((e) => e.type === 'grid-solved')).toEqual([]);
      }
      events.publish(
        { type: 'slot-settled', marketId: 'other', slotStartMs: T0, entryCount: 1, lastHash: 'h' },
        0,
      );
      await monitor.idle();
      const solved = published.filter((e) => e.type === 'grid-solved');
      expect(solved).toEqual([
        expect.objectContaining({
          marketId: MARKET,
          slotStartMs: starts[2],
          converged: true,
          violationCount: 0,
        }),
      ]);
      expect(monitor.skipped - skippedBefore).toBe(2);
      expect(await getGridState(store.store.db, MARKET, starts[0])).toBeUndefined();
      expect((await getGridState(store.store.db, MARKET))?.slotStartMs).toBe(starts[2]);
    },
  );

  it.skipIf(skip)(
    'on its first operator event as leader, solves the latest settled slot that has no state (a restart, a takeover)',
    async () => {
      const slotStartMs = await slotWithLoads(11, [8, 8, 8]);
      await store.store.db
        .updateTable('slots')
        .set({ status: 'cleared', settled_at_ms: slotStartMs + 2 * SLOT_MS })
        .where('market_id', '=', MARKET)
        .where('start_ms', '=', slotStartMs)
        .execute();
      const bus = new InProcessEventBus();
      const heard: MarketEvent[] = [];
      bus.subscribe((event) => heard.push(event));
      const restarted = new GridMonitor({
        feeder,
        db: store.store.db,
        clock,
        events: bus,
        isLeader: () => true,
      });
      restarted.start();
      bus.publish(
        {
          type: 'slot-opened',
          marketId: MARKET,
          slotStartMs: slotStartMs + 3 * SLOT_MS,
          slotEndMs: 0,
          gateClosureMs: 0,
        },
        0,
      );
      await vi.waitFor(async () => expect(heard.some((e) => e.type === 'grid-solved')).toBe(true));
      await restarted.idle();
      expect((await getGridState(store.store.db, MARKET, slotStartMs))?.converged).toBe(true);
      // Once: a later event finds the slot solved and does nothing.
      bus.publish(
        { type: 'slot-opened', marketId: MARKET, slotStartMs: 0, slotEndMs: 0, gateClosureMs: 0 },
        0,
      );
      await restarted.stop();
      expect(heard.filter((e) => e.type === 'grid-solved')).toHaveLength(1);
    },
  );

  it.skipIf(skip)(
    'leaves at least minSolveIntervalMs of real time between solves, then takes the newest slot',
    async () => {
      const starts = [
        await slotWithLoads(12, [5, 5, 5]),
        await slotWithLoads(13, [6, 6, 6]),
        await slotWithLoads(14, [7, 7, 7]),
      ];
      const bus = new InProcessEventBus();
      const solvedAtMs: [number, number][] = [];
      bus.subscribe((event) => {
        if (event.type === 'grid-solved') solvedAtMs.push([event.slotStartMs, performance.now()]);
      });
      const paced = new GridMonitor({
        feeder,
        db: store.store.db,
        clock,
        events: bus,
        isLeader: () => true,
        minSolveIntervalMs: 300,
      });
      const beganMs = performance.now();
      paced.request(starts[0] ?? 0);
      await vi.waitFor(() => expect(solvedAtMs).toHaveLength(1));
      paced.request(starts[1] ?? 0);
      paced.request(starts[2] ?? 0);
      await paced.idle();
      expect(solvedAtMs.map(([slot]) => slot)).toEqual([starts[0], starts[2]]);
      expect((solvedAtMs[1]?.[1] ?? 0) - beganMs).toBeGreaterThanOrEqual(300);
      await paced.stop();
    },
  );

  it.skipIf(skip)('does not solve on an instance that does not lead clearing', async () => {
    const slotStartMs = await slotWithLoads(9, [5, 5, 5]);
    leader = false;
    events.publish({ type: 'slot-settled', marketId: MARKET, slotStartMs, entryCount: 1, lastHash: 'h' }, 0);
    await monitor.idle();
    leader = true;
    expect(await getGridState(store.store.db, MARKET, slotStartMs)).toBeUndefined();
  });

  it.skipIf(skip)(
    'lists summaries in time order, keeps the state for a second handle, and prunes by age',
    async () => {
      const listed = await listGridStates(store.store.db, MARKET, T0, T0 + 20 * SLOT_MS);
      expect(listed.map((s) => (s.slotStartMs - T0) / SLOT_MS)).toEqual([0, 1, 2, 3, 4, 5, 8, 11, 12, 14]);
      expect(listed[2]).toMatchObject({ converged: true, capacityKw: 500, violationCount: 3 });
      expect(listed[2]?.maxLoadingPct).toBeGreaterThan(100);
      expect(listed[3]).toMatchObject({
        converged: false,
        vMinPu: null,
        substationKw: null,
        violationCount: 0,
      });
      if (store.store.dialect === 'postgres') {
        // A standby instance reads what the leader stored.
        const standby = store.reopen();
        expect((await getGridState(standby.db, MARKET, T0 + 2 * SLOT_MS))?.violations).toHaveLength(3);
      }
      expect(await pruneGridStates(store.store.db, MARKET, T0 + 3 * SLOT_MS)).toBe(3);
      expect(await listGridStates(store.store.db, MARKET, 0, T0 + 3 * SLOT_MS)).toEqual([]);
      // The monitor prunes what is older than the retention on each write.
      clock.set(T0 + GRID_STATE_RETENTION_MS + 6 * SLOT_MS);
      await monitor.solveSlot(await slotWithLoads(10, [5, 5, 5]));
      expect(
        (await listGridStates(store.store.db, MARKET, 0, T0 + 20 * SLOT_MS)).map(
          (s) => (s.slotStartMs - T0) / SLOT_MS,
        ),
      ).toEqual([8, 10, 11, 12, 14]);
    },
  );
});
