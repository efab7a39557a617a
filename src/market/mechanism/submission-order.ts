import type { OrderTable } from './order-table.js';

/** Row indices by submission sequence (stable for equal sequences). Most tables are already in order. */
export function rowsInSubmissionOrder(table: OrderTable): number[] {
  const rows = Array.from({ length: table.rows }, (_, i) => i);
  let sorted = true;
  for (let i = 1; i < table.rows && sorted; i++)
    sorted = (table.sequence[i - 1] ?? 0) <= (table.sequence[i] ?? 0);
  return sorted ? rows : rows.sort((a, b) => (table.sequence[a] ?? 0) - (table.sequence[b] ?? 0) || a - b);
}
