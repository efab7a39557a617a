/** The evaluation sections (M&V, treatment vs control, forecasts) as terminal text, after the KPI table. */
import type { ComparisonResult, SimulationResult } from '../results.js';
import { evaluationSections } from './evaluation-sections.js';

/** '' when the result has no evaluation sections. */
export function formatReportSections(result: SimulationResult): string {
  const blocks = evaluationSections(result).map((section) =>
    [section.title, '='.repeat(section.title.length), ...section.text()].join('\n'),
  );
  return blocks.length === 0 ? '' : `${blocks.join('\n\n')}\n`;
}

/** Each design's sections under its label; '' when no design has any. */
export function formatComparisonSections(comparison: ComparisonResult): string {
  const blocks = comparison.designs.flatMap((design) => {
    const text = formatReportSections(design.result);
    return text === '' ? [] : [`${design.label.replace(/\p{Cc}/gu, '?')}: evaluation\n\n${text}`];
  });
  return blocks.join('\n');
}
