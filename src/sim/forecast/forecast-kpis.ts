/** KPIs of the forecasts: the configured model's day-ahead error and what the error cost (catalogue entries). */
import type { EvaluationKpi, KpiEstimate } from '../kpi/kpi-definition.js';
import type { SimulationResult } from '../results.js';
import type { ForecastScores } from './forecast-metrics.js';

function dayAheadOf(result: SimulationResult): ForecastScores | null {
  const forecast = result.evaluation?.forecast;
  return forecast?.models.find((scores) => scores.model === forecast.model)?.dayAhead ?? null;
}

const finite = (value: number | undefined): KpiEstimate | null =>
  value !== undefined && Number.isFinite(value) ? { value } : null;

const NO_FORECAST = 'the scenario has no forecast section';
const DAY_AHEAD =
  "the configured model's forecasts issued at each local midnight (and at the start) for the hours up to the next midnight, over every hour of the horizon";

export const FORECAST_KPIS: readonly EvaluationKpi[] = [
  {
    id: 'forecast-load-mape',
    label: 'Forecast error, aggregate load (day-ahead MAPE)',
    unit: '%',
    roles: ['utility', 'aggregator'],
    scope: 'evaluation',
    definition: `Mean absolute percentage error of the community's hourly consumption (Σ over homes, PV added back) as forecast by ${DAY_AHEAD}.`,
    formula: '100 · mean over hours of |Σ_homes forecast kWh − Σ_homes metered kWh| / Σ_homes metered kWh',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => finite(dayAheadOf(result)?.aggregateLoad.mapePercent),
    unavailable: NO_FORECAST,
  },
  {
    id: 'forecast-load-nmae',
    label: 'Forecast error, per-home load (day-ahead nMAE)',
    unit: '%',
    roles: ['aggregator', 'utility'],
    scope: 'evaluation',
    definition: `Mean absolute error of each home's hourly consumption as forecast by ${DAY_AHEAD}, over the mean consumption. MAPE is not used per home: an hour of a few Wh makes it explode.`,
    formula: '100 · Σ_homes,hours |forecast kWh − metered kWh| / Σ_homes,hours metered kWh',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => finite(dayAheadOf(result)?.homeLoad.nmaePercent),
    unavailable: NO_FORECAST,
  },
  {
    id: 'forecast-pv-nmae',
    label: 'Forecast error, per-home PV (day-ahead nMAE)',
    unit: '%',
    roles: ['aggregator', 'utility'],
    scope: 'evaluation',
    definition: `Mean absolute error of each PV home's hourly generation as forecast by ${DAY_AHEAD}, over the mean generation (nights included in both: MAPE would divide by their zeros). The weather forecast is the TMY3 actual, which flatters it.`,
    formula: '100 · Σ_PV homes,hours |forecast kWh − metered kWh| / Σ_PV homes,hours metered kWh',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => {
      const pv = dayAheadOf(result)?.homePv;
      return pv === undefined || pv.count === 0 ? null : finite(pv.nmaePercent);
    },
    unavailable: 'the scenario has no forecast section or no home with PV',
  },
  {
    id: 'forecast-error-cost',
    label: 'Cost of forecast error',
    unit: '{currency}',
    roles: ['aggregator', 'customer'],
    scope: 'evaluation',
    definition:
      'What the homes paid more because the strategies bid on the configured model rather than on perfect forecasts: the market run once more with perfect forecasts, everything else the same.',
    formula: 'total cost (Σ bills) with the model − total cost with perfect forecasts',
    direction: 'lower-is-better',
    decimals: 2,
    of: (result) => finite(result.evaluation?.forecast?.costOfError?.extraCost),
    unavailable:
      "needs forecast.costOfError: true, a model other than 'perfect' and a strategy that bids on the forecasts (forecast.usedBy)",
  },
];
