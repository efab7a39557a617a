/** KPIs per stakeholder beyond the core set (catalogue entries). PLACEHOLDER. */
import type { KpiDefinition } from './kpi-definition.js';

export const STAKEHOLDER_KPIS: readonly KpiDefinition[] = [];
