/**
 * The KPI rows that every human-facing view shows (terminal table, HTML report), in one place so the
 * two cannot drift apart: label, unit, rounding, and which direction of change is an improvement.
 */
import type { KpiSet, SimulationResult } from '../results.js';
import { gridKpiRows } from './grid-kpi-rows.js';
import { formatNumber, formatSigned, MISSING } from './number-format.js';

export type KpiDirection = 'lower-is-better' | 'higher-is-better' | 'neutral';

export interface KpiRow {
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

export function kpiRows(result: SimulationResult): KpiRow[] {
  const { currency } = result.meta;
  const te = result.te.kpis;
  const baseline = result.baseline.kpis;
  const row = (
    label: string,
    unit: string,
    pick: (kpis: KpiSet) => number,
    decimals: number,
    direction: KpiDirection,
    change: KpiRow['change'] = 'absolute-and-percent',
  ): KpiRow => ({ label, unit, te: pick(te), baseline: pick(baseline), decimals, direction, change });

  return [
    row('Peak substation demand', 'kW', (k) => k.peakSubstationDemandKw, 1, 'lower-is-better'),
    row('Energy imported', 'kWh', (k) => k.energyImportedKwh, 1, 'neutral'),
    row('Energy exported', 'kWh', (k) => k.energyExportedKwh, 1, 'neutral'),
    row('Average clearing price', `${currency}/kWh`, (k) => k.averageClearingPricePerKwh, 4, 'neutral'),
    row('Peak clearing price', `${currency}/kWh`, (k) => k.peakClearingPricePerKwh, 4, 'neutral'),
    row('Total cost', currency, (k) => k.totalCost, 2, 'lower-is-better'),
    ...costPerClassRows(result),
    row('Comfort violation', '°F·h', (k) => k.comfortViolationDegreeHours, 1, 'lower-is-better'),
    row(
      'PV self-consumption',
      '%',
      (k) => k.pvSelfConsumption * 100,
      1,
      'higher-is-better',
      'percentage-points',
    ),
    row('Social welfare', currency, (k) => k.socialWelfare, 2, 'higher-is-better', 'absolute-only'),
    row('Clearing failures', 'slots', (k) => k.clearingFailures, 0, 'lower-is-better'),
    row('EV unmet energy', 'kWh', (k) => k.evUnmetEnergyKwh, 1, 'lower-is-better'),
    row('Slots over capacity', 'slots', (k) => k.capacityExceededSlots, 0, 'lower-is-better'),
    row('Energy traded between homes', 'kWh', (k) => k.localTradedKwh, 1, 'neutral', 'absolute-only'),
    row('Energy bought from the grid', 'kWh', (k) => k.gridTradedKwh, 1, 'neutral', 'absolute-only'),
    row('Self-sufficiency', '%', (k) => k.selfSufficiency * 100, 1, 'higher-is-better', 'percentage-points'),
    row(
      'Kept by operator, aggregator and grid',
      currency,
      (k) => k.intermediaryRevenue,
      2,
      'neutral',
      'absolute-only',
    ),
    row('Bill change inequality (Gini)', '', (k) => k.billChangeGini, 3, 'lower-is-better', 'absolute-only'),
    ...gridKpiRows(result),
  ];
}

/** Classes of either run, TE's order first, so a class missing from one run still shows (as —). */
export function participantClasses(result: SimulationResult): string[] {
  const names = new Set(Object.keys(result.te.kpis.costPerClass));
  for (const name of Object.keys(result.baseline.kpis.costPerClass)) names.add(name);
  return [...names];
}

function costPerClassRows(result: SimulationResult): KpiRow[] {
  const te = result.te.kpis.costPerClass;
  const baseline = result.baseline.kpis.costPerClass;
  return participantClasses(result).map((name) => {
    const homes = te[name]?.homes ?? baseline[name]?.homes;
    return {
      label: `Mean cost per home: ${name}${homes === undefined ? '' : ` (${homes} homes)`}`,
      unit: result.meta.currency,
      te: te[name]?.meanCostPerHome ?? Number.NaN,
      baseline: baseline[name]?.meanCostPerHome ?? Number.NaN,
      decimals: 2,
      direction: 'lower-is-better',
      change: 'absolute-and-percent',
    };
  });
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
