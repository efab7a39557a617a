/**
 * The standards view's logic: the inventory as GET /api/standards answers it (typed by the server's
 * schema), filtered by segment, status and text, grouped by segment, with counts by status. The segment
 * lives in the URL (/standards?segment=markets) so a filtered list can be shared as a link.
 */
import type { AnswerOf } from '../api/client';

export type StandardsInventory = AnswerOf<'/api/standards'>;
export type InventorySegment = StandardsInventory['segments'][number];
export type InventoryStandard = StandardsInventory['standards'][number];
export type StandardStatus = InventoryStandard['status'];

/** The statuses, from the most to the least tenet does about a standard. */
export const STATUS_ORDER: readonly StandardStatus[] = [
  'implemented',
  'partial',
  'interoperable-via',
  'planned',
  'not-planned',
];

export interface StandardsFilter {
  /** A segment id, or '' for every segment. */
  readonly segment: string;
  /** A status, or '' for every status. */
  readonly status: string;
  /** Case-insensitive, matched against id, name, body, version and scope. */
  readonly text: string;
}

export const NO_STANDARDS_FILTER: StandardsFilter = { segment: '', status: '', text: '' };

export interface SegmentGroup {
  readonly segment: InventorySegment;
  readonly standards: readonly InventoryStandard[];
}

export function filterStandards(
  standards: readonly InventoryStandard[],
  filter: StandardsFilter,
): InventoryStandard[] {
  const words = filter.text
    .trim()
    .toLowerCase()
    .split(/\s+/)
    .filter((w) => w !== '');
  return standards.filter((standard) => {
    if (filter.segment !== '' && !(standard.segments as readonly string[]).includes(filter.segment))
      return false;
    if (filter.status !== '' && standard.status !== filter.status) return false;
    const haystack = [standard.id, standard.name, standard.body, standard.version, standard.scope]
      .join(' ')
      .toLowerCase();
    return words.every((word) => haystack.includes(word));
  });
}

/**
 * The segments to show (the filtered one, or all) each with its matching standards in inventory order;
 * a standard in several segments appears under each.
 */
export function groupBySegment(
  segments: readonly InventorySegment[],
  standards: readonly InventoryStandard[],
  segmentFilter: string,
): SegmentGroup[] {
  return segments
    .filter((segment) => segmentFilter === '' || segment.id === segmentFilter)
    .map((segment) => ({
      segment,
      standards: standards.filter((standard) => standard.segments.includes(segment.id)),
    }));
}

/** How many standards have each status, every status listed (zeros included), each standard once. */
export function statusCounts(
  standards: readonly InventoryStandard[],
): { status: StandardStatus; count: number }[] {
  return STATUS_ORDER.map((status) => ({
    status,
    count: standards.filter((standard) => standard.status === status).length,
  }));
}

/** The segment a /standards URL names, when it is one of the inventory's; else '' (every segment). */
export function segmentOfQuery(query: URLSearchParams, segments: readonly InventorySegment[]): string {
  const named = query.get('segment') ?? '';
  return segments.some((segment) => segment.id === named) ? named : '';
}

/** The URL of the view filtered to `segment` ('' for all). */
export function standardsPath(segment: string): string {
  return segment === '' ? '/standards' : `/standards?segment=${encodeURIComponent(segment)}`;
}

/** True when the entry names modules or tests (implemented and partial ones always do). */
export function hasEvidence(standard: InventoryStandard): boolean {
  return (standard.modules ?? []).length > 0 || (standard.tests ?? []).length > 0;
}
