import { describe, expect, it } from 'vitest';
import { compareValues, naturalKey, nextSort, sortRows } from './table-sort';

interface Row {
  id: string;
  kw: number | undefined;
}
const rows: Row[] = [
  { id: 'home-10', kw: 2 },
  { id: 'home-2', kw: undefined },
  { id: 'home-1', kw: 2 },
  { id: 'home-3', kw: -1 },
];
const valueOf = (row: Row, column: 'id' | 'kw') => row[column];

describe('sortRows', () => {
  it('sorts numbers numerically, missing last in both directions, ties in input order', () => {
    const asc = sortRows(rows, { column: 'kw', direction: 'asc' }, valueOf);
    expect(asc.map((r) => r.id)).toEqual(['home-3', 'home-10', 'home-1', 'home-2']);
    const desc = sortRows(rows, { column: 'kw', direction: 'desc' }, valueOf);
    expect(desc.map((r) => r.id)).toEqual(['home-10', 'home-1', 'home-3', 'home-2']);
  });

  it('sorts text with the numbers in it in order', () => {
    const byId = sortRows(rows, { column: 'id', direction: 'asc' }, valueOf);
    expect(byId.map((r) => r.id)).toEqual(['home-1', 'home-2', 'home-3', 'home-10']);
    expect(compareValues('b', 'a')).toBeGreaterThan(0);
    expect(compareValues(undefined, 1)).toBeGreaterThan(0);
    expect(compareValues('Home-2', 'home-10')).toBeLessThan(0);
    expect(naturalKey('a007')).toBe(naturalKey('A7'));
  });

  it('does not change its input', () => {
    const copy = [...rows];
    sortRows(rows, { column: 'id', direction: 'desc' }, valueOf);
    expect(rows).toEqual(copy);
  });

  it('flips the direction on the same column and starts a new one ascending', () => {
    expect(nextSort({ column: 'kw', direction: 'asc' }, 'kw')).toEqual({ column: 'kw', direction: 'desc' });
    expect(nextSort({ column: 'kw', direction: 'desc' }, 'id')).toEqual({ column: 'id', direction: 'asc' });
  });
});
