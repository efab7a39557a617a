/** KPIs of the M&V baselines and the treatment-control comparison (catalogue entries). PLACEHOLDER. */
import type { EvaluationKpi } from '../kpi/kpi-definition.js';

export const MEASUREMENT_KPIS: readonly EvaluationKpi[] = [];
export const TREATMENT_CONTROL_KPIS: readonly EvaluationKpi[] = [];
