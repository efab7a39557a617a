/** PLACEHOLDER: the report section of result.evaluation.treatmentControl (null when absent). */
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';

export function treatmentControlSection(result: SimulationResult): ReportSection | null {
  return result.evaluation?.treatmentControl === undefined ? null : null;
}
