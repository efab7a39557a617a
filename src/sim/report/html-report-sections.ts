/**
 * The evaluation sections (M&V, treatment vs control, forecasts) in HTML, after the KPI table. Each
 * section's fragment is its own (escaped by its author); the heading is added here.
 */
import type { SimulationResult } from '../results.js';
import { evaluationSections } from './evaluation-sections.js';
import { escapeHtml } from './html-escape.js';

/** Nothing when the result has no evaluation sections. */
export function renderReportSections(result: SimulationResult, level: 2 | 3 = 2): string[] {
  const sections = evaluationSections(result);
  if (sections.length === 0) return [];
  const heading = level === 2 ? 'h2' : 'h3';
  const inner = level === 2 ? 'h3' : 'h4';
  return [
    `<${heading}>Evaluation</${heading}>`,
    ...sections.map((section) =>
      [
        `<section class="evaluation" id="section-${escapeHtml(section.id)}">`,
        `<${inner}>${escapeHtml(section.title)}</${inner}>`,
        section.html(),
        '</section>',
      ].join('\n'),
    ),
  ];
}
