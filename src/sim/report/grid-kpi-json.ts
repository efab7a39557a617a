/**
 * The feeder KPIs in the KPI document: a `grid` object in te, baseline and delta, written only when
 * the scenario names a feeder. Keys in a fixed order, NaN as null, as in the rest of the document.
 */
import type { GridKpiSet, SimulationResult } from '../results.js';
import { hasGridResults } from './grid-kpi-rows.js';
import { jsonNumber, type JsonNumber } from './json-number.js';

export type KpiJsonGridSet = { readonly [Key in keyof GridKpiSet]: JsonNumber };

const GRID_KEYS: readonly (keyof GridKpiSet)[] = [
  'voltageViolations',
  'voltageViolationBusMinutes',
  'minVoltagePu',
  'maxVoltagePu',
  'lossesKwh',
  'peakLossesKw',
  'peakTransformerLoadingPct',
  'peakLineLoadingPct',
  'powerFlowFailures',
  'inverterLoopFailures',
];

export interface GridKpiJson {
  readonly te: KpiJsonGridSet;
  readonly baseline: KpiJsonGridSet;
  readonly delta: KpiJsonGridSet;
}

/** The three grid objects, or undefined when neither run has feeder results (no key is written). */
export function gridKpiJson(result: SimulationResult): GridKpiJson | undefined {
  if (!hasGridResults(result)) return undefined;
  // A run without feeder results (one side only) reads as all null rather than a missing object.
  const te = result.te.grid?.kpis;
  const baseline = result.baseline.grid?.kpis;
  const set = (pick: (key: keyof GridKpiSet) => JsonNumber): KpiJsonGridSet =>
    Object.fromEntries(GRID_KEYS.map((key) => [key, pick(key)])) as unknown as KpiJsonGridSet;
  return {
    te: set((key) => jsonNumber(te?.[key])),
    baseline: set((key) => jsonNumber(baseline?.[key])),
    delta: set((key) =>
      te === undefined || baseline === undefined ? null : jsonNumber(te[key] - baseline[key]),
    ),
  };
}
