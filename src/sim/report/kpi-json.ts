/**
 * The KPI document: what a regulator or a notebook reads, written by the CLI as JSON. Keys are listed
 * explicitly (and record keys sorted) so the order is the same whatever order the producer built the
 * objects in, and two runs of the same scenario give byte-identical files.
 */
import type { KpiSet, SimulationMeta, SimulationResult, SimulationRun } from '../results.js';
import { evaluationSections } from './evaluation-sections.js';
import { gridKpiJson, type KpiJsonGridSet } from './grid-kpi-json.js';
import { jsonNumber, type JsonNumber } from './json-number.js';
import { kpiRolesJson, type KpiJsonRoles } from './kpi-json-roles.js';

// Null stands for NaN and Infinity; see json-number.ts.
export { jsonNumber, type JsonNumber };

export interface KpiJsonSet {
  readonly peakSubstationDemandKw: JsonNumber;
  readonly energyImportedKwh: JsonNumber;
  readonly energyExportedKwh: JsonNumber;
  readonly averageClearingPricePerKwh: JsonNumber;
  readonly peakClearingPricePerKwh: JsonNumber;
  readonly totalCost: JsonNumber;
  readonly costPerClass: Readonly<
    Record<string, { readonly homes: JsonNumber; readonly meanCostPerHome: JsonNumber }>
  >;
  readonly comfortViolationDegreeHours: JsonNumber;
  readonly pvSelfConsumption: JsonNumber;
  readonly socialWelfare: JsonNumber;
  readonly clearingFailures: JsonNumber;
  readonly evUnmetEnergyKwh: JsonNumber;
  readonly capacityExceededSlots: JsonNumber;
  readonly localTradedKwh: JsonNumber;
  readonly gridTradedKwh: JsonNumber;
  readonly selfSufficiency: JsonNumber;
  readonly billChangeGini: JsonNumber;
  readonly intermediaryRevenue: JsonNumber;
  /** Feeder KPIs, only when the scenario names a feeder. */
  readonly grid?: KpiJsonGridSet;
}

/** te - baseline for every scalar KPI; null where either side is missing or not finite. */
export type KpiJsonDelta = Omit<KpiJsonSet, 'costPerClass'> & {
  readonly costPerClass: Readonly<Record<string, { readonly meanCostPerHome: JsonNumber }>>;
};

/** SimulationMeta with the same keys in the same order, numbers made JSON-safe. */
export interface KpiJsonScenario {
  readonly scenarioName: string;
  readonly description: string;
  readonly seed: JsonNumber;
  readonly startIso: string;
  readonly endIso: string;
  readonly marketPeriodMinutes: JsonNumber;
  readonly mechanism: string;
  readonly currency: string;
  readonly homes: JsonNumber;
  readonly deviceCounts: Readonly<Record<string, JsonNumber>>;
  readonly substationCapacityKw: JsonNumber;
  readonly weatherSite: string;
  readonly utcOffsetMinutes: JsonNumber;
}

export interface KpiJson {
  readonly scenario: KpiJsonScenario;
  readonly te: KpiJsonSet;
  readonly baseline: KpiJsonSet;
  readonly delta: KpiJsonDelta;
  /** The scenario's `evaluation.keyMetrics`, catalogue ids the reports show first. */
  readonly keyMetrics: readonly string[];
  /** Every reported KPI by catalogue id, under its first role (docs/kpis.md). */
  readonly roles: KpiJsonRoles;
  /** The evaluation sections (M&V, treatment vs control, forecasts) by section id. */
  readonly sections: Readonly<Record<string, unknown>>;
}

type ScalarKpi = Exclude<keyof KpiSet, 'costPerClass'>;

/** Scalar KPIs in document order; costPerClass is placed after totalCost, as in the tables. */
const SCALARS_BEFORE_CLASSES: readonly ScalarKpi[] = [
  'peakSubstationDemandKw',
  'energyImportedKwh',
  'energyExportedKwh',
  'averageClearingPricePerKwh',
  'peakClearingPricePerKwh',
  'totalCost',
];
const SCALARS_AFTER_CLASSES: readonly ScalarKpi[] = [
  'comfortViolationDegreeHours',
  'pvSelfConsumption',
  'socialWelfare',
  'clearingFailures',
  'evUnmetEnergyKwh',
  'capacityExceededSlots',
  'localTradedKwh',
  'gridTradedKwh',
  'selfSufficiency',
  'billChangeGini',
  'intermediaryRevenue',
];

export function kpiJson(result: SimulationResult): KpiJson {
  const te = result.te.kpis;
  const baseline = result.baseline.kpis;
  const grid = gridKpiJson(result);
  const sets =
    grid === undefined
      ? { te: kpiSetJson(te), baseline: kpiSetJson(baseline), delta: deltaJson(te, baseline) }
      : {
          te: { ...kpiSetJson(te), grid: grid.te },
          baseline: { ...kpiSetJson(baseline), grid: grid.baseline },
          delta: { ...deltaJson(te, baseline), grid: grid.delta },
        };
  return {
    scenario: scenarioJson(result.meta),
    ...sets,
    keyMetrics: [...(result.meta.keyMetrics ?? [])],
    roles: kpiRolesJson(result),
    sections: Object.fromEntries(evaluationSections(result).map((section) => [section.id, section.json()])),
  };
}

/** One run's KPI set as in `te`, its `grid` object exactly when that run has feeder results. */
export function runKpiSetJson(result: SimulationResult, run: SimulationRun): KpiJsonSet {
  const grid = gridKpiJson({ ...result, te: run, baseline: run });
  return grid === undefined ? kpiSetJson(run.kpis) : { ...kpiSetJson(run.kpis), grid: grid.te };
}

/** The scenario part of the document, for the comparison's community. */
export function kpiJsonScenario(meta: SimulationMeta): KpiJsonScenario {
  return scenarioJson(meta);
}

function scenarioJson(meta: SimulationMeta): KpiJsonScenario {
  return {
    scenarioName: meta.scenarioName,
    description: meta.description,
    seed: jsonNumber(meta.seed),
    startIso: meta.startIso,
    endIso: meta.endIso,
    marketPeriodMinutes: jsonNumber(meta.marketPeriodMinutes),
    mechanism: meta.mechanism,
    currency: meta.currency,
    homes: jsonNumber(meta.homes),
    deviceCounts: Object.fromEntries(
      sortedKeys(meta.deviceCounts).map((kind) => [kind, jsonNumber(meta.deviceCounts[kind])]),
    ),
    substationCapacityKw: jsonNumber(meta.substationCapacityKw),
    weatherSite: meta.weatherSite,
    utcOffsetMinutes: jsonNumber(meta.utcOffsetMinutes),
  };
}

function kpiSetJson(kpis: KpiSet): KpiJsonSet {
  const scalars = (keys: readonly ScalarKpi[]) => keys.map((key) => [key, jsonNumber(kpis[key])] as const);
  const costPerClass = Object.fromEntries(
    sortedKeys(kpis.costPerClass).map((name) => {
      const entry = kpis.costPerClass[name];
      return [name, { homes: jsonNumber(entry?.homes), meanCostPerHome: jsonNumber(entry?.meanCostPerHome) }];
    }),
  );
  return Object.fromEntries([
    ...scalars(SCALARS_BEFORE_CLASSES),
    ['costPerClass', costPerClass],
    ...scalars(SCALARS_AFTER_CLASSES),
  ]) as unknown as KpiJsonSet;
}

function deltaJson(te: KpiSet, baseline: KpiSet): KpiJsonDelta {
  const difference = (a: number | undefined, b: number | undefined): JsonNumber =>
    a === undefined || b === undefined ? null : jsonNumber(a - b);
  const scalars = (keys: readonly ScalarKpi[]) =>
    keys.map((key) => [key, difference(te[key], baseline[key])] as const);
  const classes = [
    ...new Set([...Object.keys(te.costPerClass), ...Object.keys(baseline.costPerClass)]),
  ].sort();
  const costPerClass = Object.fromEntries(
    classes.map((name) => [
      name,
      {
        meanCostPerHome: difference(
          te.costPerClass[name]?.meanCostPerHome,
          baseline.costPerClass[name]?.meanCostPerHome,
        ),
      },
    ]),
  );
  return Object.fromEntries([
    ...scalars(SCALARS_BEFORE_CLASSES),
    ['costPerClass', costPerClass],
    ...scalars(SCALARS_AFTER_CLASSES),
  ]) as unknown as KpiJsonDelta;
}

/** Code-point order, not locale order, so the result does not depend on the machine. */
function sortedKeys(record: Readonly<Record<string, unknown>>): string[] {
  return Object.keys(record).sort();
}
