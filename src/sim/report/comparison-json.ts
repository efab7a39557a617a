/**
 * The design comparison as a JSON document. Every KPI set is built by kpi-json.ts, so the keys, their
 * order and the NaN-as-null rule are those of the single-run document, and two runs of the same
 * comparison give byte-identical files.
 */
import type { ComparisonResult, SimulationResult, SimulationRun } from '../results.js';
import { kpiJson, type KpiJsonScenario, type KpiJsonSet } from './kpi-json.js';

/** The community the designs share: the first design's scenario without its (per-design) mechanism. */
export type ComparisonJsonCommunity = Omit<KpiJsonScenario, 'mechanism'>;

export interface ComparisonJson {
  readonly designs: readonly {
    readonly label: string;
    readonly mechanism: string;
    readonly kpis: KpiJsonSet;
  }[];
  readonly baseline: KpiJsonSet | null;
  /** Null only when the comparison holds no design. */
  readonly community: ComparisonJsonCommunity | null;
}

export function comparisonJson(comparison: ComparisonResult): ComparisonJson {
  const first = comparison.designs[0]?.result;
  return {
    designs: comparison.designs.map((design) => ({
      label: design.label,
      mechanism: design.mechanism,
      kpis: runJson(design.result, design.result.te),
    })),
    baseline: first === undefined ? null : runJson(first, comparison.baseline),
    community: first === undefined ? null : communityJson(first),
  };
}

/**
 * One run's KPI set. The run is passed as both sides so its `grid` object is written exactly when that
 * run has feeder results, whatever the other runs have.
 */
function runJson(context: SimulationResult, run: SimulationRun): KpiJsonSet {
  return kpiJson({ ...context, te: run, baseline: run }).te;
}

function communityJson(result: SimulationResult): ComparisonJsonCommunity {
  const { mechanism: _mechanism, ...community } = kpiJson(result).scenario;
  return community;
}
