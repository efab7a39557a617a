/**
 * The KPI rows that every human-facing view shows (terminal table, HTML report), built from the KPI
 * catalogue so labels, units, rounding and which direction of change is an improvement are defined once.
 */
import type { KpiDirection, RunKpi } from '../kpi/kpi-definition.js';
import type { SimulationResult, SimulationRun } from '../results.js';
import { formatNumber, formatSigned, MISSING } from './number-format.js';

export type { KpiDirection };

export interface KpiRow {
  /** The catalogue id; rows of a per-class KPI share it. */
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly te: number;
  readonly baseline: number;
  readonly decimals: number;
  readonly direction: KpiDirection;
  /** A relative change only means something for ratio-scale quantities; shares change in points. */
  readonly change: 'absolute-and-percent' | 'absolute-only' | 'percentage-points';
}

/** How the TE run compares with the baseline on one KPI, for colouring. */
export type KpiVerdict = 'better' | 'worse' | 'same' | 'neutral' | 'unknown';

export interface FormattedKpiRow {
  readonly label: string;
  readonly unit: string;
  readonly te: string;
  readonly baseline: string;
  readonly change: string;
  readonly verdict: KpiVerdict;
}

/** Changes smaller than this share of the larger magnitude count as "same" (float noise). */
const SAME_TOLERANCE = 1e-9;

/** '{currency}' in a catalogue unit stands for the run's currency. */
export function unitOf(kpi: { readonly unit: string }, currency: string): string {
  return kpi.unit.replaceAll('{currency}', currency);
}

/** The rows of one run KPI: one, or one per participant class for a per-class KPI. */
export function runKpiRows(kpi: RunKpi, result: SimulationResult): KpiRow[] {
  const base = {
    id: kpi.id,
    unit: unitOf(kpi, result.meta.currency),
    decimals: kpi.decimals,
    direction: kpi.direction,
    change: kpi.change,
  };
  if (kpi.perClass === undefined) {
    return [
      {
        ...base,
        label: kpi.label,
        te: kpi.of(result.te, result),
        baseline: kpi.of(result.baseline, result),
      },
    ];
  }
  const te = kpi.perClass(result.te);
  const baseline = kpi.perClass(result.baseline);
  return participantClassesOf(result.te, result.baseline, kpi).map((name) => {
    const homes = te[name]?.homes ?? baseline[name]?.homes;
    return {
      ...base,
      label: `${kpi.label}: ${name}${homes === undefined ? '' : ` (${homes} homes)`}`,
      te: te[name]?.value ?? Number.NaN,
      baseline: baseline[name]?.value ?? Number.NaN,
    };
  });
}

/** Classes of either run, the first run's order first, so a class missing from one run still shows (as —). */
function participantClassesOf(first: SimulationRun, second: SimulationRun, kpi: RunKpi): string[] {
  const names = new Set(Object.keys(kpi.perClass?.(first) ?? {}));
  for (const name of Object.keys(kpi.perClass?.(second) ?? {})) names.add(name);
  return [...names];
}

export function formatKpiRow(row: KpiRow): FormattedKpiRow {
  return {
    label: row.label,
    unit: row.unit,
    te: formatNumber(row.te, row.decimals),
    baseline: formatNumber(row.baseline, row.decimals),
    change: formatChange(row),
    verdict: verdictOf(row),
  };
}

function formatChange(row: KpiRow): string {
  const difference = row.te - row.baseline;
  if (!Number.isFinite(difference)) return MISSING;
  if (row.change === 'percentage-points') return `${formatSigned(difference, row.decimals)} pp`;
  const absolute = formatSigned(difference, row.decimals);
  if (row.change === 'absolute-only' || Math.abs(row.baseline) < 1e-12) return absolute;
  const percent = (difference / Math.abs(row.baseline)) * 100;
  return `${absolute} (${formatSigned(percent, 1)}%)`;
}

function verdictOf(row: KpiRow): KpiVerdict {
  const difference = row.te - row.baseline;
  if (!Number.isFinite(difference)) return 'unknown';
  const scale = Math.max(Math.abs(row.te), Math.abs(row.baseline), 1e-12);
  // A change too small to show at the row's precision is no change: colouring "0.0" red confuses.
  const shownAsZero = Math.abs(difference) < 0.5 * 10 ** -row.decimals;
  if (shownAsZero || Math.abs(difference) <= SAME_TOLERANCE * scale) return 'same';
  if (row.direction === 'neutral') return 'neutral';
  const improved = row.direction === 'lower-is-better' ? difference < 0 : difference > 0;
  return improved ? 'better' : 'worse';
}
