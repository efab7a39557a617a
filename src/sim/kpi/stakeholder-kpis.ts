/**
 * KPIs per stakeholder beyond the core set (catalogue entries): per-run quantities first, then the
 * market's effect against its counterfactual.
 */
import type { KpiDefinition } from './kpi-definition.js';
import { STAKEHOLDER_EFFECT_KPIS } from './stakeholder-effect-kpis.js';
import { STAKEHOLDER_RUN_KPIS } from './stakeholder-run-kpis.js';

export const STAKEHOLDER_KPIS: readonly KpiDefinition[] = [
  ...STAKEHOLDER_RUN_KPIS,
  ...STAKEHOLDER_EFFECT_KPIS,
];
