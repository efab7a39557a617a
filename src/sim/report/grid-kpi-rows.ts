/**
 * The feeder KPI rows (voltages, losses, loading), appended to the KPI rows when the scenario names a
 * feeder. A run without feeder results shows as "—" rather than hiding the row, so TE and baseline
 * still line up.
 */
import type { GridKpiSet, SimulationResult } from '../results.js';
import type { KpiDirection, KpiRow } from './kpi-rows.js';

export function hasGridResults(result: SimulationResult): boolean {
  return result.te.grid !== undefined || result.baseline.grid !== undefined;
}

export function gridKpiRows(result: SimulationResult): KpiRow[] {
  if (!hasGridResults(result)) return [];
  const te = result.te.grid?.kpis;
  const baseline = result.baseline.grid?.kpis;
  const row = (
    label: string,
    unit: string,
    pick: (kpis: GridKpiSet) => number,
    decimals: number,
    direction: KpiDirection,
    change: KpiRow['change'] = 'absolute-and-percent',
  ): KpiRow => ({
    label,
    unit,
    te: te === undefined ? Number.NaN : pick(te),
    baseline: baseline === undefined ? Number.NaN : pick(baseline),
    decimals,
    direction,
    change,
  });
  return [
    row('Voltage violations', 'samples', (k) => k.voltageViolations, 0, 'lower-is-better'),
    row('Voltage violation bus-minutes', 'min', (k) => k.voltageViolationBusMinutes, 0, 'lower-is-better'),
    // Closer to 1 pu is better, which neither direction says; the violation rows carry the verdict.
    row('Minimum voltage', 'pu', (k) => k.minVoltagePu, 4, 'neutral', 'absolute-only'),
    row('Maximum voltage', 'pu', (k) => k.maxVoltagePu, 4, 'neutral', 'absolute-only'),
    row('Losses', 'kWh', (k) => k.lossesKwh, 1, 'lower-is-better'),
    row('Peak losses', 'kW', (k) => k.peakLossesKw, 1, 'lower-is-better'),
    row(
      'Peak transformer loading',
      '%',
      (k) => k.peakTransformerLoadingPct,
      1,
      'lower-is-better',
      'percentage-points',
    ),
    row('Peak line loading', '%', (k) => k.peakLineLoadingPct, 1, 'lower-is-better', 'percentage-points'),
    row('Power-flow failures', 'slots', (k) => k.powerFlowFailures, 0, 'lower-is-better'),
    row('Inverter loop failures', 'slots', (k) => k.inverterLoopFailures, 0, 'lower-is-better'),
  ];
}
