/**
 * The inventory for a terminal: one block per segment, each standard with its body, version, status and
 * scope, and for the ones tenet implements, what is covered and the modules and tests that show it.
 */
import type { InventoryView } from './inventory-view.js';
import { STATUSES, type Standard } from './standards-schema.js';

export function formatInventory(view: InventoryView): string {
  const lines: string[] = [view.title, ''];
  for (const segment of view.segments) {
    const inSegment = view.standards.filter((standard) => standard.segments.includes(segment.id));
    lines.push(`${segment.label} [${segment.id}]: ${segment.description}`);
    if (inSegment.length === 0) lines.push('  (no standard listed)');
    for (const standard of inSegment) lines.push(...standardLines(standard));
    lines.push('');
  }
  lines.push(statusSummary(view.standards));
  return lines.join('\n');
}

function standardLines(standard: Standard): string[] {
  const lines = [
    `  ${standard.name}: ${standard.status}  [${standard.id}]`,
    `      ${standard.body}, ${standard.version}. ${standard.scope}`,
  ];
  const detail = (label: string, text: string | undefined) => {
    if (text !== undefined) lines.push(`      ${label}: ${text}`);
  };
  detail('covered', standard.covered);
  detail('not covered', standard.notCovered);
  detail('via', standard.via);
  detail('note', standard.note);
  detail('modules', standard.modules?.join(', '));
  detail('tests', standard.tests?.join(', '));
  return lines;
}

/** "25 standards: 6 implemented, 9 partial, ..." counting each standard once, statuses in their order. */
export function statusSummary(standards: readonly Standard[]): string {
  const parts = STATUSES.map(
    (status) => [status, standards.filter((standard) => standard.status === status).length] as const,
  )
    .filter(([, count]) => count > 0)
    .map(([status, count]) => `${count} ${status}`);
  return `${standards.length} standard${standards.length === 1 ? '' : 's'}${parts.length === 0 ? '' : `: ${parts.join(', ')}`}`;
}
