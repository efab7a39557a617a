/**
 * The rows of the design comparison, shared by the terminal table and the HTML report: grouped by role
 * like the single-run report (key metrics first), one value per design plus the shared baseline. Rows
 * come from the KPI catalogue (each design seen as a TE run against the common baseline), so the
 * comparison cannot disagree with the single-run report.
 */
import type { KpiDefinition, RunKpi, StakeholderRole } from '../kpi/kpi-definition.js';
import type { ComparisonResult, SimulationResult } from '../results.js';
import {
  alsoFor,
  estimateRow,
  formatEstimate,
  groupKpis,
  reportedKpis,
  unavailableLast,
  type KpiGroupOf,
} from './kpi-groups.js';
import { runKpiRows, type KpiDirection, type KpiRow } from './kpi-rows.js';
import { formatNumber, MISSING } from './number-format.js';

export interface ComparisonRow {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
  readonly direction: KpiDirection;
  /** One value per design, in the order of `comparison.designs`; NaN where a design lacks the KPI. */
  readonly values: readonly number[];
  readonly baseline: number;
  /** A bill: a negative value is money paid to the homes, shown as earnings. */
  readonly isBill: boolean;
  /** Per design: the best value of the row (ties share it); all false when "best" means nothing. */
  readonly best: readonly boolean[];
}

/** An evaluation estimate per design, already formatted ("12.3 (95% CI …)" or "unavailable: …"). */
export interface ComparisonEstimateRow {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly values: readonly string[];
  /** Per design: whether it has an estimate (false: its value says why not). */
  readonly available: readonly boolean[];
}

export type ComparisonItem =
  | { readonly kind: 'run'; readonly row: ComparisonRow; readonly alsoFor: readonly StakeholderRole[] }
  | {
      readonly kind: 'estimate';
      readonly row: ComparisonEstimateRow;
      readonly alsoFor: readonly StakeholderRole[];
    };

export interface FormattedComparisonRow {
  readonly label: string;
  readonly unit: string;
  readonly values: readonly string[];
  readonly baseline: string;
  readonly best: readonly boolean[];
}

const BILL_KPI = 'mean-cost-per-home';
const BILL_LABEL = 'Mean bill per home';
const CAPACITY_AFTER = 'peak-substation-demand';

/** A design's result with the comparison's shared baseline, as the catalogue's KPIs expect it. */
export function designResult(comparison: ComparisonResult, index: number): SimulationResult | undefined {
  const design = comparison.designs[index];
  return design === undefined ? undefined : { ...design.result, baseline: comparison.baseline };
}

/** Key metrics of all designs, first-named first (the designs usually share them). */
export function comparisonKeyMetrics(comparison: ComparisonResult): string[] {
  return [...new Set(comparison.designs.flatMap((design) => design.result.meta.keyMetrics ?? []))];
}

/** The KPIs any design's report shows, in catalogue order. */
export function comparisonKpis(comparison: ComparisonResult): KpiDefinition[] {
  const keyMetrics = comparisonKeyMetrics(comparison);
  const seen = new Set<string>();
  const union: KpiDefinition[] = [];
  for (const design of comparison.designs) {
    const result = { ...design.result, meta: { ...design.result.meta, keyMetrics } };
    for (const kpi of reportedKpis(result)) {
      if (!seen.has(kpi.id)) union.push(kpi);
      seen.add(kpi.id);
    }
  }
  return union;
}

export function comparisonGroups(comparison: ComparisonResult): KpiGroupOf<ComparisonItem>[] {
  const designs = comparison.designs.map((_, index) => designResult(comparison, index));
  const groups = groupKpis(comparisonKpis(comparison), comparisonKeyMetrics(comparison)).map((group) => ({
    id: group.id,
    title: group.title,
    items: group.items.flatMap((kpi): ComparisonItem[] => {
      const also = alsoFor(kpi, group.id);
      if (kpi.scope === 'evaluation') {
        const rows = designs.map((result) => (result === undefined ? undefined : estimateRow(kpi, result)));
        const values = rows.map((row) => (row === undefined ? MISSING : formatEstimate(row)));
        const available = rows.map((row) => row !== undefined && row.estimate !== null);
        const unit = rows[0]?.unit ?? kpi.unit;
        const row = { id: kpi.id, label: kpi.label, unit, values, available };
        return [{ kind: 'estimate', row, alsoFor: also }];
      }
      const rows = runRows(kpi, designs);
      const withCapacity = kpi.id === CAPACITY_AFTER ? [...rows, capacityRow(designs)] : rows;
      return withCapacity.map((row) => ({ kind: 'run', row, alsoFor: also }));
    }),
  }));
  // An estimate no design has goes last; one some designs have stays, the others saying why not.
  return unavailableLast(
    groups,
    (item) => item.kind === 'estimate' && item.row.available.every((available) => !available),
  );
}

/** Every run row of the comparison in report order, for callers that need no groups. */
export function comparisonRows(comparison: ComparisonResult): ComparisonRow[] {
  return comparisonGroups(comparison).flatMap((group) =>
    group.items.flatMap((item) => (item.kind === 'run' ? [item.row] : [])),
  );
}

function runRows(kpi: RunKpi, designs: readonly (SimulationResult | undefined)[]): ComparisonRow[] {
  const perDesign = designs.map((result) => (result === undefined ? [] : runKpiRows(kpi, result)));
  // Union of the row labels in first-seen order: designs may differ in participant classes.
  const byLabel = perDesign.map((rows) => new Map(rows.map((row) => [row.label, row])));
  const labels = [...new Set(perDesign.flat().map((row) => row.label))];
  return labels.map((label) => fromKpiRows(label, byLabel, kpi.id === BILL_KPI));
}

function fromKpiRows(
  label: string,
  byLabel: readonly ReadonlyMap<string, KpiRow>[],
  isBill: boolean,
): ComparisonRow {
  const found = byLabel.map((rows) => rows.get(label));
  const template = found.find((row) => row !== undefined);
  const decimals = template?.decimals ?? 2;
  const direction = template?.direction ?? 'neutral';
  const values = found.map((row) => row?.te ?? Number.NaN);
  return {
    id: template?.id ?? '',
    label: isBill ? label.replace(/^[^:]*/, BILL_LABEL) : label,
    unit: template?.unit ?? '',
    decimals,
    direction,
    values,
    baseline: template?.baseline ?? Number.NaN,
    isBill,
    best: bestOf(values, decimals, direction),
  };
}

/** The same for every design (one community), shown beside peak demand so the margin reads at once. */
function capacityRow(designs: readonly (SimulationResult | undefined)[]): ComparisonRow {
  const values = designs.map((result) => result?.meta.substationCapacityKw ?? Number.NaN);
  return {
    id: 'substation-capacity',
    label: 'Substation capacity',
    unit: 'kW',
    decimals: 0,
    direction: 'neutral',
    values,
    baseline: values[0] ?? Number.NaN,
    isBill: false,
    best: values.map(() => false),
  };
}

/**
 * The designs whose value, at the row's precision, is the best one. No mark when the direction is
 * neutral, when fewer than two designs have a value, or when they all show the same number: a mark
 * that every column carries tells nothing.
 */
export function bestOf(values: readonly number[], decimals: number, direction: KpiDirection): boolean[] {
  const none = values.map(() => false);
  if (direction === 'neutral') return none;
  const scale = 10 ** decimals;
  const shown = values.map((value) => (Number.isFinite(value) ? Math.round(value * scale) : Number.NaN));
  const finite = shown.filter((value) => Number.isFinite(value));
  if (finite.length < 2) return none;
  const best = direction === 'lower-is-better' ? Math.min(...finite) : Math.max(...finite);
  const worst = direction === 'lower-is-better' ? Math.max(...finite) : Math.min(...finite);
  if (best === worst) return none;
  return shown.map((value) => value === best);
}

export function formatComparisonRow(row: ComparisonRow): FormattedComparisonRow {
  const format = (value: number): string => formatValue(value, row.decimals, row.isBill);
  return {
    label: row.label,
    unit: row.unit,
    values: row.values.map(format),
    baseline: format(row.baseline),
    best: row.best,
  };
}

/** A negative bill is money the homes received; "earns 2.10" says so where "-2.10" reads as a typo. */
function formatValue(value: number, decimals: number, isBill: boolean): string {
  const text = formatNumber(value, decimals);
  if (!isBill || text === MISSING || !text.startsWith('-')) return text;
  return `earns ${text.slice(1)}`;
}

/** The sentence that explains the marks and the earnings, under the table in every view. */
export const COMPARISON_TABLE_NOTE =
  'Best design per row marked where lower or higher is clearly better; "earns" is a negative bill, money paid to the homes.';
