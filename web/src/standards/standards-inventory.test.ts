import { describe, expect, it } from 'vitest';
import {
  filterStandards,
  groupBySegment,
  hasEvidence,
  NO_STANDARDS_FILTER,
  segmentOfQuery,
  standardsPath,
  statusCounts,
  type InventorySegment,
  type InventoryStandard,
} from './standards-inventory';

const SEGMENTS: InventorySegment[] = [
  { id: 'generation', label: 'Generation', description: 'g' },
  { id: 'markets', label: 'Markets', description: 'm' },
  { id: 'service-provider', label: 'Service provider', description: 's' },
];

const standard = (
  id: string,
  segments: InventoryStandard['segments'],
  status: InventoryStandard['status'],
  extra: Partial<InventoryStandard> = {},
): InventoryStandard => ({
  id,
  name: `${id} name`,
  body: 'IEEE',
  version: '1',
  segments,
  scope: `scope of ${id}`,
  status,
  ...extra,
});

const STANDARDS = [
  standard('ieee-1547', ['generation'], 'partial', { modules: ['src/der/inverter'], tests: ['a.test.ts'] }),
  standard('openadr-3', ['markets', 'service-provider'], 'partial', { body: 'OpenADR Alliance' }),
  standard('oauth', ['service-provider'], 'implemented', { modules: ['src/server/auth'] }),
  standard('usef', ['markets'], 'not-planned'),
];

describe('standards inventory view logic', () => {
  it('filters by segment, status and every word of the text', () => {
    const ids = (filter: Partial<typeof NO_STANDARDS_FILTER>) =>
      filterStandards(STANDARDS, { ...NO_STANDARDS_FILTER, ...filter }).map((s) => s.id);
    expect(ids({})).toEqual(['ieee-1547', 'openadr-3', 'oauth', 'usef']);
    expect(ids({ segment: 'markets' })).toEqual(['openadr-3', 'usef']);
    expect(ids({ status: 'partial' })).toEqual(['ieee-1547', 'openadr-3']);
    expect(ids({ segment: 'service-provider', status: 'partial' })).toEqual(['openadr-3']);
    expect(ids({ text: '  ALLIANCE  ' })).toEqual(['openadr-3']);
    expect(ids({ text: 'scope 1547' })).toEqual(['ieee-1547']);
    expect(ids({ text: 'scope zigbee' })).toEqual([]);
  });

  it('groups by segment in the segments’ order, a standard under each of its segments', () => {
    const groups = groupBySegment(SEGMENTS, STANDARDS, '');
    expect(groups.map((g) => [g.segment.id, g.standards.map((s) => s.id)])).toEqual([
      ['generation', ['ieee-1547']],
      ['markets', ['openadr-3', 'usef']],
      ['service-provider', ['openadr-3', 'oauth']],
    ]);
    expect(groupBySegment(SEGMENTS, STANDARDS, 'markets').map((g) => g.segment.id)).toEqual(['markets']);
  });

  it('counts each standard once by status, zeros included, in status order', () => {
    expect(statusCounts(STANDARDS)).toEqual([
      { status: 'implemented', count: 1 },
      { status: 'partial', count: 2 },
      { status: 'interoperable-via', count: 0 },
      { status: 'planned', count: 0 },
      { status: 'not-planned', count: 1 },
    ]);
  });

  it('reads the segment from the URL only when it is one of the inventory’s, and writes it back', () => {
    expect(segmentOfQuery(new URLSearchParams('segment=markets'), SEGMENTS)).toBe('markets');
    expect(segmentOfQuery(new URLSearchParams('segment=moon'), SEGMENTS)).toBe('');
    expect(segmentOfQuery(new URLSearchParams(''), SEGMENTS)).toBe('');
    expect(standardsPath('')).toBe('/standards');
    expect(standardsPath('service-provider')).toBe('/standards?segment=service-provider');
  });

  it('says which entries carry evidence', () => {
    expect(STANDARDS.map(hasEvidence)).toEqual([true, false, true, false]);
  });
});
