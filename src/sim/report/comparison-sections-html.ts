/** The evaluation sections of each design of a comparison, in HTML after the KPI table. */
import type { ComparisonResult } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { renderReportSections } from './html-report-sections.js';

/** Nothing when no design has an evaluation section. */
export function renderComparisonSections(comparison: ComparisonResult): string[] {
  const perDesign = comparison.designs.flatMap((design) => {
    const sections = renderReportSections(design.result, 3);
    // The design's heading replaces the generic "Evaluation" heading of a single-run report.
    return sections.length === 0 ? [] : [`<h3>${escapeHtml(design.label)}</h3>`, ...sections.slice(1)];
  });
  return perDesign.length === 0 ? [] : ['<h2>Evaluation</h2>', ...perDesign];
}
