/** The evaluation sections of a result, in the order the report shows them. */
import type { SimulationResult } from '../results.js';
import { measurementSection } from '../evaluation/measurement-report.js';
import { treatmentControlSection } from '../evaluation/treatment-control-report.js';
import { forecastSection } from '../forecast/forecast-report.js';
import type { ReportSection } from './report-section.js';

export function evaluationSections(result: SimulationResult): ReportSection[] {
  return [measurementSection(result), treatmentControlSection(result), forecastSection(result)].filter(
    (section): section is ReportSection => section !== null,
  );
}
