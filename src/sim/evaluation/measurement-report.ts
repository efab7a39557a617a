/** PLACEHOLDER: the report section of result.evaluation.measurement (null when absent). */
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';

export function measurementSection(result: SimulationResult): ReportSection | null {
  return result.evaluation?.measurement === undefined ? null : null;
}
