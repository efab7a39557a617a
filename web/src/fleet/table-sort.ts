/**
 * Sorting a table by any column: numbers numerically, text by locale with numbers inside it in order
 * (home-2 before home-10), missing values last whichever the direction, ties broken by a stable key so
 * rows do not jump about when live data re-sorts an equal column.
 */
export type SortDirection = 'asc' | 'desc';

export interface SortState<K extends string> {
  readonly column: K;
  readonly direction: SortDirection;
}

export type SortValue = string | number | null | undefined;

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareValues(a: SortValue, b: SortValue): number {
  const aMissing = a === null || a === undefined || (typeof a === 'number' && Number.isNaN(a));
  const bMissing = b === null || b === undefined || (typeof b === 'number' && Number.isNaN(b));
  if (aMissing || bMissing) return aMissing === bMissing ? 0 : aMissing ? 1 : -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return collator.compare(String(a), String(b));
}

/** A sorted copy. `valueOf` reads the sort column; `keyOf` breaks ties. */
export function sortRows<T, K extends string>(
  rows: readonly T[],
  sort: SortState<K>,
  valueOf: (row: T, column: K) => SortValue,
  keyOf: (row: T) => string,
): T[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const va = valueOf(a, sort.column);
    const vb = valueOf(b, sort.column);
    const aMissing = va === null || va === undefined;
    const bMissing = vb === null || vb === undefined;
    // Missing values stay at the bottom in both directions.
    if (aMissing !== bMissing) return aMissing ? 1 : -1;
    return sign * compareValues(va, vb) || collator.compare(keyOf(a), keyOf(b));
  });
}

/** The next sort after a click on a column header: the same column flips, a new one starts ascending. */
export function nextSort<K extends string>(current: SortState<K>, column: K): SortState<K> {
  return current.column === column
    ? { column, direction: current.direction === 'asc' ? 'desc' : 'asc' }
    : { column, direction: 'asc' };
}
