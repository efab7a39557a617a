/**
 * The simulation report as one self-contained HTML file: inline CSS and SVG, no scripts, fonts or
 * network, so it opens offline and can be mailed or archived. Same result, same bytes: nothing in
 * it depends on the clock unless the caller passes a generation time.
 */
import type { SimulationResult } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { renderChartFigures } from './html-report-charts.js';
import { REPORT_CSS } from './html-report-style.js';
import { renderKpiGroupsTable } from './html-kpi-table.js';
import { renderReportSections } from './html-report-sections.js';
import { formatNumber } from './number-format.js';
import { formatUtcOffset } from './time-ticks.js';

export interface HtmlReportOptions {
  /** Shown in the footer when given; left out by default so the output is reproducible. */
  readonly generatedAtIso?: string;
}

export function renderHtmlReport(result: SimulationResult, options: HtmlReportOptions = {}): string {
  const name = escapeHtml(result.meta.scenarioName);
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    // Belt and braces: even if a future change let markup through, the page may load nothing.
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${name} · tenet simulation report</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHeader(result),
    '<h2>Key performance indicators</h2>',
    renderKpiGroupsTable(result),
    ...renderReportSections(result),
    '<h2>Time series</h2>',
    renderChartFigures(result),
    renderFooter(options),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderHeader(result: SimulationResult): string {
  const meta = result.meta;
  const devices = Object.entries(meta.deviceCounts)
    .map(([kind, count]) => `${kind}: ${formatNumber(count, 0)}`)
    .join(', ');
  const facts: [string, string][] = [
    [
      'Period',
      `${meta.startIso} to ${meta.endIso} (times shown in ${formatUtcOffset(meta.utcOffsetMinutes)})`,
    ],
    [
      'Market',
      `${meta.mechanism}, ${formatNumber(meta.marketPeriodMinutes, 0)}-minute slots (${formatNumber(result.slotStartMs.length, 0)} slots)`,
    ],
    ['Homes', formatNumber(meta.homes, 0)],
    ['Devices', devices === '' ? 'none' : devices],
    ['Substation capacity', `${formatNumber(meta.substationCapacityKw, 0)} kW`],
    ['Weather', meta.weatherSite],
    ['Seed', String(meta.seed)],
    ['Currency', meta.currency],
  ];
  const description =
    meta.description.trim() === '' ? '' : `<p class="description">${escapeHtml(meta.description)}</p>\n`;
  return [
    '<header>',
    `<h1>${escapeHtml(meta.scenarioName)}</h1>`,
    `${description}<dl class="meta">`,
    ...facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`),
    '</dl>',
    '</header>',
  ].join('\n');
}

function renderFooter(options: HtmlReportOptions): string {
  const generated =
    options.generatedAtIso === undefined ? '' : ` Generated ${escapeHtml(options.generatedAtIso)}.`;
  return `<footer>tenet simulation report: transactive energy (TE) run compared with a no-market baseline of the same scenario and seed.${generated}</footer>`;
}
