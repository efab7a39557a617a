/** KPIs of the M&V baselines: delivered flexibility and baseline accuracy (catalogue entries). PLACEHOLDER. */
import type { EvaluationKpi } from '../kpi/kpi-definition.js';

export const MEASUREMENT_KPIS: readonly EvaluationKpi[] = [];
