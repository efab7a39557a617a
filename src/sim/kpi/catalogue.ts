/**
 * The KPI catalogue: every KPI tenet reports, defined once. The reports (terminal, report.html,
 * kpis.json, comparisons, the dashboard) and docs/kpis.md are generated from it; scenarios name its ids
 * in `evaluation.keyMetrics`.
 */
import { TeError } from '../../core/errors.js';
import { MEASUREMENT_KPIS } from '../evaluation/measurement-kpis.js';
import { TREATMENT_CONTROL_KPIS } from '../evaluation/treatment-control-kpis.js';
import { FORECAST_KPIS } from '../forecast/forecast-kpis.js';
import { CORE_KPIS } from './core-kpis.js';
import { GRID_KPIS } from './grid-kpis.js';
import type { KpiDefinition } from './kpi-definition.js';
import { STAKEHOLDER_KPIS } from './stakeholder-kpis.js';

/** In report order within each role: run KPIs first, then the evaluation's estimates. */
export const KPI_CATALOGUE: readonly KpiDefinition[] = [
  ...CORE_KPIS,
  ...GRID_KPIS,
  ...STAKEHOLDER_KPIS,
  ...MEASUREMENT_KPIS,
  ...TREATMENT_CONTROL_KPIS,
  ...FORECAST_KPIS,
];

const BY_ID = new Map(KPI_CATALOGUE.map((kpi) => [kpi.id, kpi]));

export function kpiById(id: string): KpiDefinition | undefined {
  return BY_ID.get(id);
}

/** How many suggestions an unknown id's hint names. */
const SUGGESTIONS = 3;

/**
 * Every id of `evaluation.keyMetrics` must name a catalogue KPI, once: a typo would otherwise silently
 * drop the metric a preset promises to show first.
 */
export function validateKeyMetrics(keyMetrics: readonly string[]): TeError[] {
  const ids = KPI_CATALOGUE.map((kpi) => kpi.id);
  const known = new Set(ids);
  const seen = new Set<string>();
  const errors: TeError[] = [];
  keyMetrics.forEach((id, index) => {
    const path = `evaluation.keyMetrics[${index}]`;
    if (!known.has(id)) {
      errors.push(
        new TeError('TE_ERR_SCENARIO', `'${id}' is not a KPI of the catalogue`, {
          path,
          hint: `closest ids: ${closestIds(id, ids).join(', ')}; all ids are in docs/kpis.md`,
        }),
      );
    } else if (seen.has(id)) {
      errors.push(new TeError('TE_ERR_SCENARIO', `'${id}' is named twice`, { path, hint: 'name it once' }));
    }
    seen.add(id);
  });
  return errors;
}

/** The catalogue ids nearest to `id` by edit distance, ties in catalogue order. */
export function closestIds(id: string, ids: readonly string[], count = SUGGESTIONS): string[] {
  return ids
    .map((candidate, order) => ({ candidate, order, distance: editDistance(id, candidate) }))
    .sort((a, b) => a.distance - b.distance || a.order - b.order)
    .slice(0, count)
    .map((entry) => entry.candidate);
}

/** Levenshtein distance: insertions, deletions and substitutions each cost one. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
