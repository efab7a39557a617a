/**
 * One KPI, defined once: what it means, its unit and formula, which stakeholder reads it, and how it is
 * computed from a simulation result. The catalogue (catalogue.ts) lists them all; docs/kpis.md, the
 * terminal table, report.html, kpis.json and the dashboard's Reports are generated from it.
 */
import type { SimulationResult, SimulationRun } from '../results.js';

/** Who reads a KPI. A KPI's first role is the group the reports show it in. */
export type StakeholderRole = 'utility' | 'dso' | 'customer' | 'aggregator' | 'regulator' | 'environment';

export const STAKEHOLDER_ROLES: readonly StakeholderRole[] = [
  'utility',
  'dso',
  'customer',
  'aggregator',
  'regulator',
  'environment',
];

export type KpiDirection = 'lower-is-better' | 'higher-is-better' | 'neutral';

interface KpiCommon {
  /** Kebab-case and stable: scenarios name it in `evaluation.keyMetrics`, kpis.json keys by it. */
  readonly id: string;
  readonly label: string;
  /** '{currency}' stands for the run's currency. */
  readonly unit: string;
  readonly roles: readonly [StakeholderRole, ...StakeholderRole[]];
  /** One or two plain sentences. */
  readonly definition: string;
  /** The formula in words and symbols, as docs/kpis.md prints it. */
  readonly formula: string;
  readonly direction: KpiDirection;
  readonly decimals: number;
}

/** A KPI every run has: computed for the market run and the baseline alike, then compared. */
export interface RunKpi extends KpiCommon {
  readonly scope: 'run';
  /** A relative change only means something for ratio-scale quantities; shares change in points. */
  readonly change: 'absolute-and-percent' | 'absolute-only' | 'percentage-points';
  /** NaN when the run cannot say (no PV, no feeder, ...). */
  of(run: SimulationRun, result: SimulationResult): number;
  /** False hides the KPI from the reports, e.g. feeder KPIs of a scenario without a feeder. Default: shown. */
  appliesTo?(result: SimulationResult): boolean;
  /**
   * A KPI that is really a table, one value per participant class (a home can be in several): the reports
   * show one row per class, and `of` gives the value over all homes.
   */
  perClass?(run: SimulationRun): Readonly<Record<string, { readonly homes: number; readonly value: number }>>;
}

/** An estimate of the market's effect (TE against its counterfactual), possibly with an interval. */
export interface KpiEstimate {
  readonly value: number;
  readonly low?: number;
  readonly high?: number;
  /** The interval's confidence level, e.g. 0.95. */
  readonly confidence?: number;
}

/** A KPI of the whole evaluation (baselines, control group, forecasts), not of one run. */
export interface EvaluationKpi extends KpiCommon {
  readonly scope: 'evaluation';
  /** null when the result lacks what it needs (no control group, no history); `unavailable` says why. */
  of(result: SimulationResult): KpiEstimate | null;
  readonly unavailable: string;
}

export type KpiDefinition = RunKpi | EvaluationKpi;
