/**
 * The feeder KPIs (GridKpiSet, from the power flow) as catalogue entries. They apply only to scenarios
 * with a feeder; a run of such a scenario without feeder results reads as NaN (shown as —).
 */
import type { GridKpiSet, SimulationResult, SimulationRun } from '../results.js';
import type { RunKpi } from './kpi-definition.js';

type GridSpec = Omit<RunKpi, 'scope' | 'of' | 'change' | 'appliesTo'> & {
  readonly change?: RunKpi['change'];
  readonly pick: (kpis: GridKpiSet) => number;
};

export function hasFeederResults(result: SimulationResult): boolean {
  return result.te.grid !== undefined || result.baseline.grid !== undefined;
}

function grid(spec: GridSpec): RunKpi {
  const { pick, change, ...common } = spec;
  return {
    ...common,
    scope: 'run',
    change: change ?? 'absolute-and-percent',
    of: (run: SimulationRun) => (run.grid === undefined ? Number.NaN : pick(run.grid.kpis)),
    appliesTo: hasFeederResults,
  };
}

export const GRID_KPIS: readonly RunKpi[] = [
  grid({
    id: 'voltage-violations',
    label: 'Voltage violations',
    unit: 'samples',
    roles: ['dso', 'customer'],
    definition: '(bus, phase, slot) samples outside ANSI C84.1 Range A (0.95–1.05 pu).',
    formula: '|{(b, φ, t) : V < 0.95 pu or V > 1.05 pu}|',
    direction: 'lower-is-better',
    decimals: 0,
    pick: (k) => k.voltageViolations,
  }),
  grid({
    id: 'voltage-violation-bus-minutes',
    label: 'Voltage violation bus-minutes',
    unit: 'min',
    roles: ['dso'],
    definition: 'Minutes a bus had any phase outside Range A, summed over buses.',
    formula: 'Σ_b Σ_t [any phase of b outside Range A] · slot minutes',
    direction: 'lower-is-better',
    decimals: 0,
    pick: (k) => k.voltageViolationBusMinutes,
  }),
  grid({
    id: 'min-voltage',
    label: 'Minimum voltage',
    unit: 'pu',
    roles: ['dso'],
    definition:
      'The lowest phase voltage of any bus in any slot. Closer to 1 pu is better, which no direction says; the violation KPIs carry the verdict.',
    formula: 'min over b, φ, t of V(b, φ, t)',
    direction: 'neutral',
    decimals: 4,
    change: 'absolute-only',
    pick: (k) => k.minVoltagePu,
  }),
  grid({
    id: 'max-voltage',
    label: 'Maximum voltage',
    unit: 'pu',
    roles: ['dso'],
    definition: 'The highest phase voltage of any bus in any slot.',
    formula: 'max over b, φ, t of V(b, φ, t)',
    direction: 'neutral',
    decimals: 4,
    change: 'absolute-only',
    pick: (k) => k.maxVoltagePu,
  }),
  grid({
    id: 'losses',
    label: 'Losses',
    unit: 'kWh',
    roles: ['utility', 'dso'],
    definition: 'Energy lost in the lines and transformers of the feeder.',
    formula: 'Σ_t P_loss(t) · Δt',
    direction: 'lower-is-better',
    decimals: 1,
    pick: (k) => k.lossesKwh,
  }),
  grid({
    id: 'peak-losses',
    label: 'Peak losses',
    unit: 'kW',
    roles: ['dso', 'utility'],
    definition: 'The highest slot-average feeder loss.',
    formula: 'max over t of P_loss(t)',
    direction: 'lower-is-better',
    decimals: 1,
    pick: (k) => k.peakLossesKw,
  }),
  grid({
    id: 'peak-transformer-loading',
    label: 'Peak transformer loading',
    unit: '%',
    roles: ['dso'],
    definition: 'The highest loading of any transformer, current over rating.',
    formula: '100 · max over transformers x, t of I(x, t) / I_rated(x)',
    direction: 'lower-is-better',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) => k.peakTransformerLoadingPct,
  }),
  grid({
    id: 'peak-line-loading',
    label: 'Peak line loading',
    unit: '%',
    roles: ['dso'],
    definition: 'The highest loading of any line with a known rating (not defined when no line has one).',
    formula: '100 · max over rated lines l, t of I(l, t) / I_rated(l)',
    direction: 'lower-is-better',
    decimals: 1,
    change: 'percentage-points',
    pick: (k) => k.peakLineLoadingPct,
  }),
  grid({
    id: 'power-flow-failures',
    label: 'Power-flow failures',
    unit: 'slots',
    roles: ['dso'],
    definition: 'Slots whose power flow did not converge.',
    formula: '|{t : power flow not converged}|',
    direction: 'lower-is-better',
    decimals: 0,
    pick: (k) => k.powerFlowFailures,
  }),
  grid({
    id: 'inverter-loop-failures',
    label: 'Inverter loop failures',
    unit: 'slots',
    roles: ['dso'],
    definition:
      'Slots whose PV inverter / power flow outer loop did not converge (its last iterate was used).',
    formula: '|{t : inverter loop not converged}|',
    direction: 'lower-is-better',
    decimals: 0,
    pick: (k) => k.inverterLoopFailures,
  }),
];
