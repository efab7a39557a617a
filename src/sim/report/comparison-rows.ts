/**
 * The rows of the design comparison, shared by the terminal table and the HTML report: one row per KPI,
 * one value per design plus the shared baseline. Labels, units, rounding and which direction is better
 * come from kpi-rows.ts (each design seen as a TE run against the common baseline), so the comparison
 * cannot disagree with the single-run report.
 */
import type { ComparisonResult, SimulationResult } from '../results.js';
import { kpiRows, type KpiDirection, type KpiRow } from './kpi-rows.js';
import { formatNumber, MISSING } from './number-format.js';

export interface ComparisonRow {
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

export interface FormattedComparisonRow {
  readonly label: string;
  readonly unit: string;
  readonly values: readonly string[];
  readonly baseline: string;
  readonly best: readonly boolean[];
}

const CLASS_PREFIX = 'Mean cost per home: ';
const BILL_PREFIX = 'Mean bill per home: ';
const CAPACITY_LABEL = 'Substation capacity';
const CLASS_ROWS = Symbol('participant class rows');

/** The KPIs a design comparison shows, in reading order: what the market achieves first. */
const SHOWN: readonly (string | typeof CLASS_ROWS)[] = [
  'Social welfare',
  'Average clearing price',
  'Peak clearing price',
  'Peak substation demand',
  CAPACITY_LABEL,
  'Slots over capacity',
  'Total cost',
  'Kept by operator, aggregator and grid',
  CLASS_ROWS,
  'Bill change inequality (Gini)',
  'Energy traded between homes',
  'Energy bought from the grid',
  'Self-sufficiency',
  'Comfort violation',
  'Clearing failures',
  'EV unmet energy',
  'Voltage violations',
  'Minimum voltage',
  'Maximum voltage',
  'Losses',
];

/** A design's result with the comparison's shared baseline, as kpi-rows and kpi-json expect it. */
export function designResult(comparison: ComparisonResult, index: number): SimulationResult | undefined {
  const design = comparison.designs[index];
  return design === undefined ? undefined : { ...design.result, baseline: comparison.baseline };
}

export function comparisonRows(comparison: ComparisonResult): ComparisonRow[] {
  const designs = comparison.designs.map((_, index) => designResult(comparison, index));
  const perDesign = designs.map((result) => (result === undefined ? [] : kpiRows(result)));
  // Union of the row labels in first-seen order: designs may differ in classes or feeder results.
  const byLabel = perDesign.map((rows) => new Map(rows.map((row) => [row.label, row])));
  const labels = [...new Set(perDesign.flat().map((row) => row.label))];

  const rows: ComparisonRow[] = [];
  for (const shown of SHOWN) {
    if (shown === CLASS_ROWS) {
      for (const label of labels.filter((name) => name.startsWith(CLASS_PREFIX))) {
        rows.push(fromKpiRows(label, byLabel, true));
      }
    } else if (shown === CAPACITY_LABEL) {
      rows.push(capacityRow(designs));
    } else if (labels.includes(shown)) {
      rows.push(fromKpiRows(shown, byLabel, false));
    }
  }
  return rows;
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
    label: isBill ? BILL_PREFIX + label.slice(CLASS_PREFIX.length) : label,
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
    label: CAPACITY_LABEL,
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
