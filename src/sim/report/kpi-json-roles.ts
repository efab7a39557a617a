/**
 * The role-grouped part of kpis.json and comparison.json: every reported KPI keyed by its catalogue id
 * under its first role, with label, unit and rounding so a reader (the dashboard, a notebook) needs no
 * copy of the catalogue. Keys in a fixed order, NaN as null.
 */
import type { EvaluationKpi, KpiEstimate, RunKpi, StakeholderRole } from '../kpi/kpi-definition.js';
import { STAKEHOLDER_ROLES } from '../kpi/kpi-definition.js';
import type { ComparisonResult, SimulationResult } from '../results.js';
import { comparisonKeyMetrics, comparisonKpis, designResult } from './comparison-rows.js';
import { reportedKpis } from './kpi-groups.js';
import { unitOf } from './kpi-rows.js';
import { jsonNumber, type JsonNumber } from './json-number.js';

interface KpiJsonEntryCommon {
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
  readonly direction: string;
  /** The roles beyond the one it is filed under. */
  readonly alsoFor: readonly StakeholderRole[];
}

export interface KpiJsonEstimate {
  readonly value: JsonNumber;
  readonly low: JsonNumber;
  readonly high: JsonNumber;
  readonly confidence: JsonNumber;
}

/** A run KPI of a single run: both sides and the change (in points for shares). */
export interface KpiJsonRunEntry extends KpiJsonEntryCommon {
  readonly scope: 'run';
  readonly te: JsonNumber;
  readonly baseline: JsonNumber;
  readonly change: JsonNumber;
  /** Null where a relative change means nothing (shares, signed sums) or the baseline is 0. */
  readonly changePercent: JsonNumber;
  /** Per participant class, for per-class KPIs only. */
  readonly classes?: Readonly<Record<string, { readonly homes: JsonNumber } & KpiJsonSides>>;
}

interface KpiJsonSides {
  readonly te: JsonNumber;
  readonly baseline: JsonNumber;
  readonly change: JsonNumber;
}

/** An evaluation KPI: the estimate, or null with the reason. */
export interface KpiJsonEstimateEntry extends KpiJsonEntryCommon {
  readonly scope: 'evaluation';
  readonly estimate: KpiJsonEstimate | null;
  readonly unavailable: string | null;
}

export type KpiJsonRoles = Readonly<
  Record<StakeholderRole, Readonly<Record<string, KpiJsonRunEntry | KpiJsonEstimateEntry>>>
>;

export function estimateJson(estimate: KpiEstimate | null): KpiJsonEstimate | null {
  if (estimate === null) return null;
  return {
    value: jsonNumber(estimate.value),
    low: jsonNumber(estimate.low),
    high: jsonNumber(estimate.high),
    confidence: jsonNumber(estimate.confidence),
  };
}

function common(kpi: RunKpi | EvaluationKpi, currency: string): KpiJsonEntryCommon {
  return {
    label: kpi.label,
    unit: unitOf(kpi, currency),
    decimals: kpi.decimals,
    direction: kpi.direction,
    alsoFor: kpi.roles.slice(1),
  };
}

function difference(te: number, baseline: number): JsonNumber {
  return jsonNumber(te - baseline);
}

function runEntry(kpi: RunKpi, result: SimulationResult): KpiJsonRunEntry {
  const te = kpi.of(result.te, result);
  const baseline = kpi.of(result.baseline, result);
  const relative = kpi.change === 'absolute-and-percent' && Math.abs(baseline) >= 1e-12;
  const entry: KpiJsonRunEntry = {
    ...common(kpi, result.meta.currency),
    scope: 'run',
    te: jsonNumber(te),
    baseline: jsonNumber(baseline),
    change: difference(te, baseline),
    changePercent: relative ? jsonNumber(((te - baseline) / Math.abs(baseline)) * 100) : null,
  };
  if (kpi.perClass === undefined) return entry;
  const teClasses = kpi.perClass(result.te);
  const baselineClasses = kpi.perClass(result.baseline);
  const names = [...new Set([...Object.keys(teClasses), ...Object.keys(baselineClasses)])].sort();
  const classes = Object.fromEntries(
    names.map((name) => {
      const t = teClasses[name]?.value ?? Number.NaN;
      const b = baselineClasses[name]?.value ?? Number.NaN;
      const homes = jsonNumber(teClasses[name]?.homes ?? baselineClasses[name]?.homes);
      return [name, { homes, te: jsonNumber(t), baseline: jsonNumber(b), change: difference(t, b) }];
    }),
  );
  return { ...entry, classes };
}

function estimateEntry(kpi: EvaluationKpi, result: SimulationResult): KpiJsonEstimateEntry {
  const estimate = kpi.of(result);
  return {
    ...common(kpi, result.meta.currency),
    scope: 'evaluation',
    estimate: estimateJson(estimate),
    unavailable: estimate === null ? kpi.unavailable : null,
  };
}

/** Every role's object, each present (possibly empty) so readers can index without checks. */
export function kpiRolesJson(result: SimulationResult): KpiJsonRoles {
  const kpis = reportedKpis(result);
  return Object.fromEntries(
    STAKEHOLDER_ROLES.map((role) => [
      role,
      Object.fromEntries(
        kpis
          .filter((kpi) => kpi.roles[0] === role)
          .map((kpi) => [kpi.id, kpi.scope === 'run' ? runEntry(kpi, result) : estimateEntry(kpi, result)]),
      ),
    ]),
  ) as KpiJsonRoles;
}

/** A run KPI across designs: one value per design, the shared baseline, per-class values. */
export interface ComparisonJsonRunEntry extends KpiJsonEntryCommon {
  readonly scope: 'run';
  readonly values: readonly JsonNumber[];
  readonly baseline: JsonNumber;
  readonly classes?: Readonly<
    Record<
      string,
      { readonly homes: JsonNumber; readonly values: readonly JsonNumber[]; readonly baseline: JsonNumber }
    >
  >;
}

export interface ComparisonJsonEstimateEntry extends KpiJsonEntryCommon {
  readonly scope: 'evaluation';
  readonly estimates: readonly (KpiJsonEstimate | null)[];
  readonly unavailable: string;
}

export type ComparisonJsonRoles = Readonly<
  Record<StakeholderRole, Readonly<Record<string, ComparisonJsonRunEntry | ComparisonJsonEstimateEntry>>>
>;

export function comparisonRolesJson(comparison: ComparisonResult): {
  keyMetrics: string[];
  roles: ComparisonJsonRoles;
} {
  const designs = comparison.designs.flatMap((_, index) => {
    const result = designResult(comparison, index);
    return result === undefined ? [] : [result];
  });
  const currency = designs[0]?.meta.currency ?? '';
  const entry = (kpi: RunKpi | EvaluationKpi): ComparisonJsonRunEntry | ComparisonJsonEstimateEntry => {
    if (kpi.scope === 'evaluation') {
      return {
        ...common(kpi, currency),
        scope: 'evaluation',
        estimates: designs.map((result) => estimateJson(kpi.of(result))),
        unavailable: kpi.unavailable,
      };
    }
    const first = designs[0];
    const base: ComparisonJsonRunEntry = {
      ...common(kpi, currency),
      scope: 'run',
      values: designs.map((result) => jsonNumber(kpi.of(result.te, result))),
      baseline: first === undefined ? null : jsonNumber(kpi.of(first.baseline, first)),
    };
    if (kpi.perClass === undefined || first === undefined) return base;
    const perDesign = designs.map((result) => kpi.perClass?.(result.te) ?? {});
    const baseline = kpi.perClass(first.baseline);
    const names = [
      ...new Set([...perDesign.flatMap((c) => Object.keys(c)), ...Object.keys(baseline)]),
    ].sort();
    const classes = Object.fromEntries(
      names.map((name) => [
        name,
        {
          homes: jsonNumber(
            perDesign.find((c) => c[name] !== undefined)?.[name]?.homes ?? baseline[name]?.homes,
          ),
          values: perDesign.map((c) => jsonNumber(c[name]?.value)),
          baseline: jsonNumber(baseline[name]?.value),
        },
      ]),
    );
    return { ...base, classes };
  };
  const kpis = comparisonKpis(comparison);
  const roles = Object.fromEntries(
    STAKEHOLDER_ROLES.map((role) => [
      role,
      Object.fromEntries(kpis.filter((kpi) => kpi.roles[0] === role).map((kpi) => [kpi.id, entry(kpi)])),
    ]),
  ) as ComparisonJsonRoles;
  return { keyMetrics: comparisonKeyMetrics(comparison), roles };
}
