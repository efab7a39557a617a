/** PLACEHOLDER: the report section of result.evaluation.forecast (null when absent). */
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';

export function forecastSection(result: SimulationResult): ReportSection | null {
  return result.evaluation?.forecast === undefined ? null : null;
}
