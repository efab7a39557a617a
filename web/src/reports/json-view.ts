/**
 * A generic, readable view of a report section's JSON (M&V baselines, treatment vs control, forecast
 * scores): the dashboard does not know each section's shape, so arrays of records become tables,
 * records become labelled fields, and numbers are rounded for reading. Bounded in depth and size so an
 * odd file cannot flood the page.
 */
import { formatNumber } from '../format';

export type JsonView =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    }
  | { readonly kind: 'fields'; readonly fields: readonly { readonly key: string; readonly view: JsonView }[] }
  | { readonly kind: 'list'; readonly items: readonly JsonView[] };

const MAX_DEPTH = 4;
const MAX_ROWS = 200;
const MAX_COLUMNS = 16;

/** Few decimals for big numbers, more for small ones; integers as they are. */
export function formatJsonNumber(value: number): string {
  if (!Number.isFinite(value)) return '–';
  if (Number.isInteger(value)) return formatNumber(value, 0);
  const magnitude = Math.abs(value);
  return formatNumber(value, magnitude >= 100 ? 1 : magnitude >= 1 ? 2 : 4);
}

/** A key as a heading: 'deliveredKwh' → 'delivered kWh', 'peak-window' → 'peak window'. */
export function humanKey(key: string): string {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[-_]+/g, ' ')
    .toLowerCase()
    .replace(/\bkwh\b/g, 'kWh')
    .replace(/\bkw\b/g, 'kW');
}

function scalarText(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'number') return formatJsonNumber(value);
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) {
    return value.every((item) => item === null || typeof item !== 'object')
      ? value.map(scalarText).join(', ')
      : `${value.length} items`;
  }
  return '…';
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Records whose values are all scalars or scalar lists can share a table. */
const isFlatRecord = (value: unknown): value is Record<string, unknown> =>
  isRecord(value) &&
  Object.values(value).every(
    (v) =>
      !isRecord(v) && (!Array.isArray(v) || v.every((item) => item === null || typeof item !== 'object')),
  );

export function jsonView(value: unknown, depth = 0): JsonView {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every(isFlatRecord)) {
      const columns = [...new Set(value.flatMap((row) => Object.keys(row)))].slice(0, MAX_COLUMNS);
      return {
        kind: 'table',
        columns: columns.map(humanKey),
        rows: value.slice(0, MAX_ROWS).map((row) => columns.map((column) => scalarText(row[column]))),
      };
    }
    if (depth >= MAX_DEPTH || value.every((item) => item === null || typeof item !== 'object')) {
      return { kind: 'text', text: scalarText(value) };
    }
    return { kind: 'list', items: value.slice(0, MAX_ROWS).map((item) => jsonView(item, depth + 1)) };
  }
  if (isRecord(value)) {
    if (depth >= MAX_DEPTH) return { kind: 'text', text: '…' };
    return {
      kind: 'fields',
      fields: Object.entries(value).map(([key, item]) => ({
        key: humanKey(key),
        view: jsonView(item, depth + 1),
      })),
    };
  }
  return { kind: 'text', text: scalarText(value) };
}
