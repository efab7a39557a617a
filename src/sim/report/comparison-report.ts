/**
 * The design comparison as one self-contained HTML file, like the single-run report: inline CSS and
 * SVG, no scripts, fonts or network, every scenario string escaped, the same bytes for the same input.
 */
import type { ComparisonResult, SimulationResult } from '../results.js';
import { comparisonChartFigures, designColor } from './comparison-charts.js';
import {
  COMPARISON_TABLE_NOTE,
  comparisonGroups,
  formatComparisonRow,
  type ComparisonItem,
} from './comparison-rows.js';
import { renderComparisonSections } from './comparison-sections-html.js';
import { escapeHtml } from './html-escape.js';
import { REPORT_CSS } from './html-report-style.js';
import { formatRoles } from './kpi-groups.js';
import { formatNumber } from './number-format.js';
import { formatUtcOffset } from './time-ticks.js';

export interface ComparisonReportOptions {
  /** Shown in the footer when given; left out by default so the output is reproducible. */
  readonly generatedAtIso?: string;
}

/** Additions to the report stylesheet: a wide table that scrolls, and the mark of the best value. */
const COMPARISON_CSS = `
/* A column per design needs more room than the single-run report's three. */
main { max-width: 1200px; }
.table-scroll { overflow-x: auto; }
table.kpi th.design { overflow-wrap: anywhere; min-width: 6em; padding-right: 1.7em; }
table.kpi th.design .swatch { display: inline-block; width: 10px; height: 10px; border-radius: 50%; margin-right: 5px; }
table.kpi td.design { position: relative; padding-right: 1.7em; }
table.kpi td.best { color: var(--better); font-weight: 600; }
/* The star sits in the cell's right padding so marked and unmarked numbers stay aligned. */
table.kpi td.best::after { content: "★"; position: absolute; right: 0.3em; }
table.kpi td.baseline, table.kpi th.baseline { color: var(--muted); border-left: 1px solid var(--rule); }
p.note { color: var(--muted); font-size: 13px; margin: 6px 0 0; }
ul.designs { margin: 0; padding-left: 20px; }
@media print { table.kpi td.best { color: var(--ink); } }
`;

export function renderComparisonReport(
  comparison: ComparisonResult,
  options: ComparisonReportOptions = {},
): string {
  const first = comparison.designs[0]?.result;
  const name = escapeHtml(first?.meta.scenarioName ?? 'Empty comparison');
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    `<title>${name} · tenet market design comparison</title>`,
    `<style>${REPORT_CSS}${COMPARISON_CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    renderHeader(comparison, first),
    '<h2>Key performance indicators</h2>',
    renderTable(comparison),
    ...renderComparisonSections(comparison),
    '<h2>Charts</h2>',
    ...comparisonChartFigures(comparison),
    renderFooter(options),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function renderHeader(comparison: ComparisonResult, first: SimulationResult | undefined): string {
  const designs = comparison.designs.map(
    (design) =>
      `<li>${escapeHtml(design.label)} <span class="unit">(${escapeHtml(design.mechanism)})</span>${
        design.result.meta.description.trim() === '' ? '' : `: ${escapeHtml(design.result.meta.description)}`
      }</li>`,
  );
  if (first === undefined) {
    return '<header>\n<h1>Market design comparison</h1>\n<p class="description">No designs to compare.</p>\n</header>';
  }
  const meta = first.meta;
  const devices = Object.entries(meta.deviceCounts)
    .map(([kind, count]) => `${kind}: ${formatNumber(count, 0)}`)
    .join(', ');
  const feeder = comparison.designs.find((design) => design.result.gridLayout !== undefined)?.result
    .gridLayout;
  const facts: [string, string][] = [
    ['Homes', formatNumber(meta.homes, 0)],
    ['Devices', devices === '' ? 'none' : devices],
    [
      'Horizon',
      `${meta.startIso} to ${meta.endIso}, ${formatNumber(first.slotStartMs.length, 0)} slots of ${formatNumber(meta.marketPeriodMinutes, 0)} minutes (times shown in ${formatUtcOffset(meta.utcOffsetMinutes)})`,
    ],
    ['Weather', meta.weatherSite],
    ...(feeder === undefined ? [] : [['Feeder', feeder.feederName] as [string, string]]),
    ['Substation capacity', `${formatNumber(meta.substationCapacityKw, 0)} kW`],
    ['Seed', String(meta.seed)],
    ['Currency', meta.currency],
  ];
  // Each design's own name and description say what its market is; the page is about the community.
  const description = `<p class="description">${formatNumber(comparison.designs.length, 0)} market designs on one community: the same homes, devices, weather and seed; only the market differs.</p>\n`;
  return [
    '<header>',
    '<h1>Market design comparison</h1>',
    `${description}<dl class="meta">`,
    ...facts.map(([term, value]) => `<dt>${escapeHtml(term)}</dt><dd>${escapeHtml(value)}</dd>`),
    `<dt>Designs</dt><dd><ul class="designs">${designs.join('')}</ul></dd>`,
    '</dl>',
    '</header>',
  ].join('\n');
}

function renderTable(comparison: ComparisonResult): string {
  const columns = comparison.designs.length + 4;
  const designHeads = comparison.designs.map(
    (design, index) =>
      `<th class="num design"><span class="swatch" style="background:${escapeHtml(designColor(index))}"></span>${escapeHtml(design.label)}</th>`,
  );
  const bodies = comparisonGroups(comparison).map((group) =>
    [
      `<tbody id="kpis-${escapeHtml(group.id)}">`,
      `<tr class="group"><th colspan="${columns}">${escapeHtml(group.title)}</th></tr>`,
      ...group.items.map(renderRow),
      '</tbody>',
    ].join('\n'),
  );
  return [
    '<div class="table-scroll">',
    '<table class="kpi">',
    `<thead><tr><th>KPI</th><th>unit</th>${designHeads.join('')}<th class="num baseline">baseline (no market)</th><th>also for</th></tr></thead>`,
    ...bodies,
    '</table>',
    '</div>',
    `<p class="note">★ ${escapeHtml(COMPARISON_TABLE_NOTE.replace(/^Best/, 'best'))}</p>`,
  ].join('\n');
}

function renderRow(item: ComparisonItem): string {
  const roles = `<td class="roles">${escapeHtml(formatRoles(item.alsoFor))}</td>`;
  const head = `<tr><td>${escapeHtml(item.row.label)}</td><td class="unit">${escapeHtml(item.row.unit)}</td>`;
  if (item.kind === 'estimate') {
    const { values: texts, available } = item.row;
    if (available.every((has) => !has) && new Set(texts).size === 1) {
      const reason = escapeHtml(texts[0] ?? '');
      return `${head}<td class="estimate unknown" colspan="${texts.length + 1}">${reason}</td>${roles}</tr>`;
    }
    const values = texts.map((value) => `<td class="num design">${escapeHtml(value)}</td>`);
    return `${head}${values.join('')}<td class="num baseline"></td>${roles}</tr>`;
  }
  const row = formatComparisonRow(item.row);
  const values = row.values.map((value, index) => {
    const best = row.best[index] === true;
    return `<td class="num design${best ? ' best' : ''}"${best ? ' title="best of the designs"' : ''}>${escapeHtml(value)}</td>`;
  });
  return `${head}${values.join('')}<td class="num baseline">${escapeHtml(row.baseline)}</td>${roles}</tr>`;
}

function renderFooter(options: ComparisonReportOptions): string {
  const generated =
    options.generatedAtIso === undefined ? '' : ` Generated ${escapeHtml(options.generatedAtIso)}.`;
  return `<footer>tenet market design comparison: each design run on the same community, seed and weather, compared with a no-market baseline.${generated}</footer>`;
}
