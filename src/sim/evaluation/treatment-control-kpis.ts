/** KPIs of the treatment-control comparison, with confidence intervals (catalogue entries). PLACEHOLDER. */
import type { EvaluationKpi } from '../kpi/kpi-definition.js';

export const TREATMENT_CONTROL_KPIS: readonly EvaluationKpi[] = [];
