/**
 * The single-run report's KPI table in HTML: a body per group (key metrics first, then each role), the
 * other roles of a KPI in the last column, and an evaluation estimate spanning the three value columns.
 */
import type { SimulationResult } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { formatEstimate, formatRoles, reportGroups, type ReportRow } from './kpi-groups.js';
import { formatKpiRow } from './kpi-rows.js';

const COLUMNS = 6;

export function renderKpiGroupsTable(result: SimulationResult): string {
  const bodies = reportGroups(result).map((group) =>
    [
      `<tbody id="kpis-${escapeHtml(group.id)}">`,
      `<tr class="group"><th colspan="${COLUMNS}">${escapeHtml(group.title)}</th></tr>`,
      ...group.items.map(renderRow),
      '</tbody>',
    ].join('\n'),
  );
  return [
    '<table class="kpi">',
    '<thead><tr><th>KPI</th><th>unit</th><th class="num">TE</th><th class="num">baseline</th><th class="num">change</th><th>also for</th></tr></thead>',
    ...bodies,
    '</table>',
  ].join('\n');
}

function renderRow(item: ReportRow): string {
  const roles = `<td class="roles">${escapeHtml(formatRoles(item.alsoFor))}</td>`;
  if (item.kind === 'estimate') {
    const { row } = item;
    const kind = row.estimate === null ? 'unknown' : 'neutral';
    return (
      `<tr><td>${escapeHtml(row.label)}</td><td class="unit">${escapeHtml(row.unit)}</td>` +
      `<td class="estimate ${kind}" colspan="3">${escapeHtml(formatEstimate(row))}</td>${roles}</tr>`
    );
  }
  const row = formatKpiRow(item.row);
  return (
    `<tr><td>${escapeHtml(row.label)}</td><td class="unit">${escapeHtml(row.unit)}</td>` +
    `<td class="num">${escapeHtml(row.te)}</td><td class="num">${escapeHtml(row.baseline)}</td>` +
    `<td class="num ${row.verdict}">${escapeHtml(row.change)}</td>${roles}</tr>`
  );
}
