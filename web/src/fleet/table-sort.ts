/**
 * Sorting a table by any column: numbers numerically, text case-insensitively with the numbers inside
 * it in order (home-2 before home-10), missing values last whichever the direction, and ties in their
 * input order (the sort is stable), so rows do not jump about when live data re-sorts an equal column.
 * Each row's value is read and keyed once, not once per comparison: 5,000 rows sort in a few ms.
 */
export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string> {
  readonly column: K;
  readonly direction: SortDirection;
}

export type SortValue = string | number | null | undefined;

/** Text as a key that orders with plain < : lower case, digit runs padded so 2 < 10. */
export function naturalKey(text: string): string {
  return text.toLowerCase().replace(/\d+/g, (digits) => digits.replace(/^0+(?=\d)/, '').padStart(16, '0'));
}

type Key = number | string | undefined;

function keyOf(value: SortValue): Key {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isNaN(value) ? undefined : value;
  return naturalKey(value);
}

function compareKeys(a: Key, b: Key): number {
  if (a === undefined || b === undefined) return a === b ? 0 : a === undefined ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function compareValues(a: SortValue, b: SortValue): number {
  return compareKeys(keyOf(a), keyOf(b));
}

/** A sorted copy; `valueOf` reads the sort column. */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  sort: SortState<K>,
  valueOf: (row: T, column: K) => SortValue,
): T[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const keyed = rows.map((row, index) => ({ row, index, key: keyOf(valueOf(row, sort.column)) }));
  keyed.sort((a, b) => {
    // Missing values stay at the bottom in both directions.
    if ((a.key === undefined) !== (b.key === undefined)) return a.key === undefined ? 1 : -1;
    return sign * compareKeys(a.key, b.key) || a.index - b.index;
  });
  return keyed.map((k) => k.row);
}

/** The next sort after a click on a column header: the same column flips, a new one starts ascending. */
export function nextSort<K extends string>(current: SortState<K>, column: K): SortState<K> {
  return current.column === column
    ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
    : { column, direction: 'asc' };
}
