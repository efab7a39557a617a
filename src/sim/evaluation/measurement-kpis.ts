/** KPIs of the M&V baselines: delivered flexibility and baseline accuracy (catalogue entries). */
import type { EvaluationKpi, KpiEstimate } from '../kpi/kpi-definition.js';
import type { SimulationResult } from '../results.js';
import type { BaselineMethod, MethodMeasurement } from './measurement.js';

type Available = Extract<MethodMeasurement, { available: true }>;

function methodOf(result: SimulationResult, method: BaselineMethod): Available | null {
  const found = result.evaluation?.measurement?.methods.find((m) => m.method === method);
  return found?.available === true ? found : null;
}

const finite = (value: number | undefined): KpiEstimate | null =>
  value !== undefined && Number.isFinite(value) ? { value } : null;

const METHOD_NAMES: Record<BaselineMethod, string> = {
  counterfactual: 'the simulated counterfactual (the same homes without the market)',
  'caiso-10-in-10': 'the CAISO 10-in-10 baseline with its capped day-of adjustment',
  'weather-regression': 'the weather-regression baseline',
};

const FIELD_UNAVAILABLE =
  'needs a pre-period: set evaluation.historyDays (at least 5 weekdays before a weekday event for the 10-in-10, 5 days for the regression)';

function delivered(id: string, method: BaselineMethod, label: string): EvaluationKpi {
  return {
    id,
    label,
    unit: 'kWh',
    roles: ['utility', 'aggregator', 'dso'],
    scope: 'evaluation',
    definition: `Energy the homes did not draw during the evaluated events (demand response events, or the daily peak window), measured against ${METHOD_NAMES[method]}. Positive: load was reduced.`,
    formula:
      'Σ over events, customers and event hours of (baseline kWh − metered kWh); partial hours weighted by their share inside the event',
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) => finite(methodOf(result, method)?.deliveredKwh),
    unavailable:
      method === 'counterfactual'
        ? 'the result has no hourly meters (M&V was not computed)'
        : FIELD_UNAVAILABLE,
  };
}

function baselineError(id: string, method: BaselineMethod, label: string): EvaluationKpi {
  return {
    id,
    label,
    unit: '%',
    roles: ['regulator', 'utility'],
    scope: 'evaluation',
    definition: `How far ${METHOD_NAMES[method]} lies from the load the homes would really have drawn without the market, which only a simulation knows: the error a settlement on this baseline would carry.`,
    formula:
      '100 · Σ_event hours |Σ_customers baseline − Σ_customers counterfactual| / Σ_event hours Σ_customers counterfactual',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => finite(methodOf(result, method)?.accuracy?.aggregateAbsoluteErrorPercent),
    unavailable: FIELD_UNAVAILABLE,
  };
}

function baselineBias(id: string, method: BaselineMethod, label: string): EvaluationKpi {
  return {
    id,
    label,
    unit: '%',
    roles: ['regulator', 'utility'],
    scope: 'evaluation',
    definition: `Signed error of ${METHOD_NAMES[method]} in event energy against the counterfactual. Positive: the baseline over-states what the homes would have used, so it credits more flexibility than was delivered.`,
    formula: '100 · (Σ baseline kWh − Σ counterfactual kWh) / Σ counterfactual kWh over the event hours',
    direction: 'neutral',
    decimals: 1,
    of: (result) => finite(methodOf(result, method)?.accuracy?.aggregateBiasPercent),
    unavailable: FIELD_UNAVAILABLE,
  };
}

export const MEASUREMENT_KPIS: readonly EvaluationKpi[] = [
  delivered(
    'delivered-flexibility-counterfactual',
    'counterfactual',
    'Delivered flexibility (vs counterfactual)',
  ),
  delivered('delivered-flexibility-10-in-10', 'caiso-10-in-10', 'Delivered flexibility (vs 10-in-10)'),
  delivered(
    'delivered-flexibility-weather-regression',
    'weather-regression',
    'Delivered flexibility (vs weather regression)',
  ),
  baselineError('baseline-error-10-in-10', 'caiso-10-in-10', '10-in-10 baseline error'),
  baselineError(
    'baseline-error-weather-regression',
    'weather-regression',
    'Weather-regression baseline error',
  ),
  baselineBias('baseline-bias-10-in-10', 'caiso-10-in-10', '10-in-10 baseline bias'),
  baselineBias('baseline-bias-weather-regression', 'weather-regression', 'Weather-regression baseline bias'),
];
