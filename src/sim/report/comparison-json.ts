/**
 * The design comparison as a JSON document. Every KPI set is built by kpi-json.ts, so the keys, their
 * order and the NaN-as-null rule are those of the single-run document, and two runs of the same
 * comparison give byte-identical files. `roles` holds the same KPIs by catalogue id, grouped by role,
 * designs side by side; `sections` each design's evaluation sections.
 */
import type { ComparisonResult, SimulationResult } from '../results.js';
import { evaluationSections } from './evaluation-sections.js';
import { kpiJsonScenario, runKpiSetJson, type KpiJsonScenario, type KpiJsonSet } from './kpi-json.js';
import { comparisonRolesJson, type ComparisonJsonRoles } from './kpi-json-roles.js';

/** The community the designs share: the first design's scenario without its (per-design) mechanism. */
export type ComparisonJsonCommunity = Omit<KpiJsonScenario, 'mechanism'>;

export interface ComparisonJson {
  readonly designs: readonly {
    readonly label: string;
    readonly mechanism: string;
    readonly kpis: KpiJsonSet;
    /** The design's evaluation sections by section id. */
    readonly sections: Readonly<Record<string, unknown>>;
  }[];
  readonly baseline: KpiJsonSet | null;
  /** Null only when the comparison holds no design. */
  readonly community: ComparisonJsonCommunity | null;
  /** Catalogue ids the designs' scenarios name as key metrics, shown first. */
  readonly keyMetrics: readonly string[];
  /** Every reported KPI by catalogue id under its first role: one value per design, then the baseline. */
  readonly roles: ComparisonJsonRoles;
}

export function comparisonJson(comparison: ComparisonResult): ComparisonJson {
  const first = comparison.designs[0]?.result;
  const { keyMetrics, roles } = comparisonRolesJson(comparison);
  return {
    designs: comparison.designs.map((design) => ({
      label: design.label,
      mechanism: design.mechanism,
      kpis: runKpiSetJson(design.result, design.result.te),
      sections: Object.fromEntries(
        evaluationSections(design.result).map((section) => [section.id, section.json()]),
      ),
    })),
    baseline: first === undefined ? null : runKpiSetJson(first, comparison.baseline),
    community: first === undefined ? null : communityJson(first),
    keyMetrics,
    roles,
  };
}

function communityJson(result: SimulationResult): ComparisonJsonCommunity {
  const { mechanism: _mechanism, ...community } = kpiJsonScenario(result.meta);
  return community;
}
