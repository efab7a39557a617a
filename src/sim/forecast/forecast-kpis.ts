/** KPIs of the forecasts: error and its cost (catalogue entries). PLACEHOLDER. */
import type { EvaluationKpi } from '../kpi/kpi-definition.js';

export const FORECAST_KPIS: readonly EvaluationKpi[] = [];
