/**
 * The demo's homes against the simulator: the same community, driven phase by phase, bids and behaves as
 * `tenet simulate`'s market run; its orders carry every device bid as a step and fills map back to them.
 */
import { describe, expect, it } from 'vitest';
import { slotsBetween } from '../core/time.js';
import type { StoredFill } from '../live/clearing-fills.js';
import { BUY, SELL } from '../market/mechanism/order-table.js';
import { uniformPriceAuction } from '../market/mechanism/uniform-price-mechanism.js';
import { marketMechanism } from '../sim/market-design.js';
import { runSimulation } from '../sim/run-simulation.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { defaultScenario, tucsonWeather } from '../sim/test-scenario.fixture.js';
import { buildCommunityHomes, slotWeather } from './community-homes.js';
import { addFillsToRows, planHomeOrders } from './home-orders.js';
import { apiIdFor } from './home-registration.js';

/** The default scenario without its feeder (the live market solves none), 30 homes, an afternoon. */
function afternoon(): Scenario {
  const base = defaultScenario();
  const { feeder: _feeder, ...rest } = base;
  return {
    ...rest,
    population: { ...base.population, homes: 30 },
    wholesale: { ...base.wholesale, substationCapacityKw: 120 },
    startMs: base.startMs + 12 * 3_600_000,
    endMs: base.startMs + 18 * 3_600_000,
  };
}

describe('the demo community bids as the simulator', () => {
  it('driven phase by phase with the same clearing, reproduces the simulated market run exactly', () => {
    const scenario = afternoon();
    const weather = tucsonWeather(scenario);
    const simulated = runSimulation({
      scenario,
      weather: weather.source,
      weatherSite: weather.siteName,
      mechanism: marketMechanism(scenario),
    });
    const { cycle } = buildCommunityHomes(scenario, {
      unresponsiveBidder: 'engine',
      mechanism: uniformPriceAuction,
    });
    const slots = slotsBetween(scenario.startMs, scenario.endMs, scenario.marketPeriodMs);
    const loads: number[] = [];
    const prices: number[] = [];
    for (const slot of slots) {
      const { snapshot, during } = slotWeather(weather.source, slot);
      const table = cycle.collectBids(slot, snapshot);
      const cleared = uniformPriceAuction.clear(table, {
        slot,
        priceCap: scenario.market.priceCapPerKwh,
        bidOffset: scenario.market.bidOffsetPerKwh,
      });
      if (!cleared.ok) throw cleared.error;
      const price = cleared.value.clearingPrice;
      cycle.applyFills(table, cleared.value.filled, price);
      cycle.dispatchDevices(slot, price, true);
      loads.push(cycle.stepAndMeter(slot, during));
      prices.push(price);
      cycle.recordMarketPrice(price, cleared.value.status);
    }
    expect(loads).toEqual(Array.from(simulated.te.series.substationLoadKw));
    expect(prices).toEqual(Array.from(simulated.te.series.clearingPricePerKwh));
    // The afternoon is a real test: the substation binds and prices move.
    expect(new Set(prices.map((p) => p.toFixed(4))).size).toBeGreaterThan(5);
  });

  it('bids the same device rows whoever bids for must-run load; each home bids its own share of it', () => {
    const scenario = afternoon();
    const weather = tucsonWeather(scenario);
    const engine = buildCommunityHomes(scenario, { unresponsiveBidder: 'engine' });
    const homes = buildCommunityHomes(scenario, { unresponsiveBidder: 'premises' });
    const [first, second] = slotsBetween(scenario.startMs, scenario.endMs, scenario.marketPeriodMs);
    for (const community of [engine, homes]) {
      const w = slotWeather(weather.source, first!);
      const table = community.cycle.collectBids(first!, w.snapshot);
      community.cycle.applyFills(table, new Float64Array(table.rows), Number.NaN);
      community.cycle.dispatchDevices(first!, 0.05, true);
      community.cycle.stepAndMeter(first!, w.during);
    }
    const snapshot = slotWeather(weather.source, second!).snapshot;
    const a = engine.cycle.collectBids(second!, snapshot);
    const deviceRowsA = rowsOf(a, engine.cycle.bidRowDevice, (d) => d >= 0);
    const unresponsiveA = signedQuantity(
      a,
      rowsOf(a, engine.cycle.bidRowDevice, (d, p) => d < 0 && p === 31),
    );
    const b = homes.cycle.collectBids(second!, snapshot);
    const deviceRowsB = rowsOf(b, homes.cycle.bidRowDevice, (d) => d >= 0);
    const perHome = rowsOf(b, homes.cycle.bidRowDevice, (d, p) => d < 0 && p < 30);
    expect(deviceRowsB).toEqual(deviceRowsA);
    expect(perHome.length).toBeGreaterThanOrEqual(30); // every home has a base load
    expect(signedQuantity(b, perHome)).toBeCloseTo(unresponsiveA, 9);
  });

  it('puts every bid of a home in one buy and one sell order, and maps fills back to their rows', () => {
    const scenario = afternoon();
    const weather = tucsonWeather(scenario);
    const { cycle, premises } = buildCommunityHomes(scenario);
    const slot = slotsBetween(scenario.startMs, scenario.endMs, scenario.marketPeriodMs)[0]!;
    const table = cycle.collectBids(slot, slotWeather(weather.source, slot).snapshot);
    const ids = premises.map((p) => apiIdFor(p.id));
    const plans = planHomeOrders(table, ids, 'demo', slot.startMs);
    const covered = plans.flatMap((h) => h.orders.flatMap((o) => o.rows)).sort((x, y) => x - y);
    const homeRows = rowsOf(table, cycle.bidRowDevice, (_d, p) => p < premises.length);
    expect(covered).toEqual(homeRows);
    for (const home of plans) {
      expect(new Set(home.orders.map((o) => o.submission.side)).size).toBe(home.orders.length);
      for (const order of home.orders) {
        expect(order.submission.clientOrderId).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
        order.rows.forEach((row, step) => {
          expect(table.side[row]).toBe(order.submission.side === 'buy' ? BUY : SELL);
          expect(order.submission.steps[step]).toEqual({
            price: table.price[row],
            quantity: table.quantity[row],
          });
        });
      }
    }
    // What the live market would serve: every row half filled, one fill per step.
    const cleared = new Float64Array(table.rows).map((_, row) => (table.quantity[row] ?? 0) / 2);
    const filledKw = new Float64Array(table.rows);
    for (const home of plans) {
      const fills: StoredFill[] = home.orders.flatMap((order) =>
        order.rows.map((row, step) => ({
          participantId: home.participantId,
          clientOrderId: order.submission.clientOrderId,
          partyKind: 'participant' as const,
          side: order.submission.side,
          step,
          filledKw: cleared[row] ?? 0,
          pricePerKwh: 0.05,
          feePerKwh: 0,
        })),
      );
      addFillsToRows(home.orders, fills, filledKw);
    }
    for (const row of homeRows) expect(filledKw[row]).toBe(cleared[row]);
  });
});

function rowsOf(
  table: { rows: number; participant: Int32Array },
  rowDevice: Int32Array,
  keep: (device: number, participant: number) => boolean,
): number[] {
  const rows: number[] = [];
  for (let r = 0; r < table.rows; r++) if (keep(rowDevice[r] ?? -1, table.participant[r] ?? -1)) rows.push(r);
  return rows;
}

function signedQuantity(
  table: { side: Uint8Array; quantity: Float64Array },
  rows: readonly number[],
): number {
  return rows.reduce((sum, r) => sum + (table.side[r] === BUY ? 1 : -1) * (table.quantity[r] ?? 0), 0);
}
