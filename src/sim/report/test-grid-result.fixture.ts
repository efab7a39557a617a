/**
 * The synthetic result of test-result.fixture.ts on a feeder: the IEEE 13-node test feeder's layout
 * (bus coordinates and branches as in ../shared/feeders/ieee-13), the 40 homes spread over its load
 * buses, and voltages that sag with distance and load, the baseline more than TE.
 */
import type { GridKpiSet, GridLayout, GridRunSeries, SimulationResult, SimulationRun } from '../results.js';
import { makeTestResult, type TestResultOptions } from './test-result.fixture.js';

const BUSES: readonly [name: string, x: number, y: number, homes: number][] = [
  ['650', 10, 12, 0],
  ['60', 10, 10, 0],
  ['632', 10, 8, 0],
  ['633', 14, 8, 0],
  ['634', 18, 8, 6],
  ['645', 6, 8, 4],
  ['646', 2, 8, 3],
  ['671', 10, 4, 8],
  ['680', 10, 1, 1],
  ['684', 6, 4, 2],
  ['611', 2, 4, 3],
  ['652', 6, 1, 3],
  ['692', 14, 4, 2],
  ['675', 18, 4, 8],
];

const BRANCHES: GridLayout['branches'] = [
  { from: '650', to: '60', kind: 'regulator' },
  { from: '60', to: '632', kind: 'line' },
  { from: '632', to: '645', kind: 'line' },
  { from: '632', to: '633', kind: 'line' },
  { from: '633', to: '634', kind: 'transformer' },
  { from: '645', to: '646', kind: 'line' },
  { from: '684', to: '652', kind: 'line' },
  { from: '632', to: '671', kind: 'line' },
  { from: '671', to: '684', kind: 'line' },
  { from: '671', to: '680', kind: 'line' },
  { from: '671', to: '692', kind: 'switch' },
  { from: '684', to: '611', kind: 'line' },
  { from: '692', to: '675', kind: 'line' },
];

/** Output of the substation regulator at bus 60, pu. */
const REGULATED_PU = 1.0375;

export function makeGridTestResult(options: TestResultOptions = {}): SimulationResult {
  const base = makeTestResult(options);
  const layout = ieee13Layout();
  return {
    ...base,
    te: withGrid(base, base.te, layout, { sagPerUnit: 0.0064, kpis: TE_EVENTS }),
    baseline: withGrid(base, base.baseline, layout, { sagPerUnit: 0.0072, kpis: BASELINE_EVENTS }),
    gridLayout: layout,
  };
}

/** The result without its feeder fields, as a scenario without a feeder would produce it. */
export function withoutGrid(result: SimulationResult): SimulationResult {
  const { te, baseline, gridLayout: _layout, ...rest } = result;
  const strip = (run: SimulationRun): SimulationRun => {
    const { grid: _grid, ...others } = run;
    return others;
  };
  return { ...rest, te: strip(te), baseline: strip(baseline) };
}

type GridEvents = Pick<
  GridKpiSet,
  | 'voltageViolations'
  | 'voltageViolationBusMinutes'
  | 'peakTransformerLoadingPct'
  | 'peakLineLoadingPct'
  | 'powerFlowFailures'
  | 'inverterLoopFailures'
>;

const TE_EVENTS: GridEvents = {
  voltageViolations: 4,
  voltageViolationBusMinutes: 120,
  peakTransformerLoadingPct: 84.2,
  peakLineLoadingPct: 61.3,
  powerFlowFailures: 0,
  inverterLoopFailures: 0,
};
const BASELINE_EVENTS: GridEvents = {
  voltageViolations: 57,
  voltageViolationBusMinutes: 1380,
  peakTransformerLoadingPct: 97.5,
  peakLineLoadingPct: 70.8,
  powerFlowFailures: 0,
  inverterLoopFailures: 0,
};

function ieee13Layout(): GridLayout {
  const position = new Map(BUSES.map(([name, x, y]) => [name, { x, y }]));
  const distance = new Map<string, number>([['650', 0]]);
  // Branches are listed parent first along each path from the substation, except 684→652 which
  // comes before 671→684; repeat until every bus has its distance.
  while (distance.size < BUSES.length) {
    for (const { from, to } of BRANCHES) {
      const start = distance.get(from);
      const a = position.get(from);
      const b = position.get(to);
      if (start === undefined || distance.has(to) || a === undefined || b === undefined) continue;
      distance.set(to, start + Math.hypot(b.x - a.x, b.y - a.y));
    }
  }
  return {
    feederName: 'IEEE 13-node test feeder',
    buses: BUSES.map(([name, x, y, homes]) => ({ name, x, y, distance: distance.get(name) ?? 0, homes })),
    branches: BRANCHES,
  };
}

function withGrid(
  result: SimulationResult,
  run: SimulationRun,
  layout: GridLayout,
  shape: { readonly sagPerUnit: number; readonly kpis: GridEvents },
): SimulationRun {
  const load = run.series.substationLoadKw;
  const fill = (value: (slot: number) => number): Float64Array =>
    Float64Array.from({ length: load.length }, (_, slot) => value(slot));
  const peakLoadKw = 171.6;
  const share = (slot: number): number => Math.max(0, load[slot] ?? 0) / peakLoadKw;
  const minVoltagePu = fill((slot) => REGULATED_PU - 14 * shape.sagPerUnit * 1.05 * share(slot));
  const maxVoltagePu = fill((slot) => REGULATED_PU + 0.012 - 0.008 * share(slot));
  const lossesKw = fill((slot) => 2e-4 * (load[slot] ?? 0) ** 2);
  let peakSlot = 0;
  load.forEach((value, slot) => {
    if (value > (load[peakSlot] ?? Number.NEGATIVE_INFINITY)) peakSlot = slot;
  });
  // Beyond the regulator the voltage sags with distance; the transformer to 634 drops it further.
  const busMin = layout.buses.map((bus) =>
    bus.name === '650'
      ? 1.0
      : REGULATED_PU - shape.sagPerUnit * (bus.distance - 2) - (bus.name === '634' ? 0.018 : 0),
  );
  const busMax = layout.buses.map(
    (bus, index) => (busMin[index] ?? 1) + (bus.name === '650' ? 0 : 0.003 + 0.0011 * bus.distance),
  );
  const sum = (values: Float64Array): number => values.reduce((total, value) => total + value, 0);
  const hours = result.meta.marketPeriodMinutes / 60;
  const series: GridRunSeries = {
    minVoltagePu,
    maxVoltagePu,
    lossesKw,
    peakSlotBusMinVPu: Float64Array.from(busMin),
    peakSlotBusMaxVPu: Float64Array.from(busMax),
    peakSlotStartMs: result.slotStartMs[peakSlot] ?? Number.NaN,
  };
  const kpis: GridKpiSet = {
    ...shape.kpis,
    minVoltagePu: Math.min(...minVoltagePu, ...busMin),
    maxVoltagePu: Math.max(...maxVoltagePu, ...busMax),
    lossesKwh: sum(lossesKw) * hours,
    peakLossesKw: Math.max(...lossesKw),
  };
  return { ...run, grid: { kpis, series } };
}
