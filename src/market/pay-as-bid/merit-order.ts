/**
 * Rows of one side in merit order, the common first step of the discriminatory designs (pay-as-bid,
 * P2P, pay-as-clear): buys by limit price descending, sells ascending, ties by submission sequence
 * (then row index, so equal sequences still sort the same way every time).
 */
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { BUY, SELL, type OrderTable } from '../mechanism/order-table.js';

/**
 * The price a row is willing to trade at. A buy above the cap means "any price" and is held to the cap
 * (nobody pays more than the cap); sells are never below −cap (validation refuses them).
 */
export function limitPrice(table: OrderTable, row: number, context: ClearingContext): number {
  const price = table.price[row] as number;
  return table.side[row] === BUY ? Math.min(price, context.priceCap) : Math.max(price, -context.priceCap);
}

/** Row indices of `side` with something to trade, best first. */
export function meritOrder(
  table: OrderTable,
  side: typeof BUY | typeof SELL,
  context: ClearingContext,
): number[] {
  const rows: number[] = [];
  for (let row = 0; row < table.rows; row++) {
    if (table.side[row] === side && (table.quantity[row] as number) > 0) rows.push(row);
  }
  const direction = side === BUY ? -1 : 1;
  const limits = new Float64Array(table.rows);
  for (const row of rows) limits[row] = limitPrice(table, row, context);
  return rows.sort(
    (a, b) =>
      direction * ((limits[a] as number) - (limits[b] as number)) ||
      (table.sequence[a] as number) - (table.sequence[b] as number) ||
      a - b,
  );
}

/**
 * Sellers split into groups that a buyer ranks as wholes (same area, same colour), each group in merit
 * order with a read head. Within a group the grid fee to a given buyer is the same for every seller, so
 * the head is the group's best seller for that buyer and, if the head is too dear, so is the rest: a
 * buyer looks at one row per group instead of every seller.
 */
export interface SellerGroup {
  readonly key: number;
  readonly area: number;
  readonly green: boolean;
  readonly rows: readonly number[];
  head: number;
}

export function sellerGroups(
  table: OrderTable,
  context: ClearingContext,
  keyOf: (row: number) => number,
): SellerGroup[] {
  const groups = new Map<number, SellerGroup & { rows: number[] }>();
  for (const row of meritOrder(table, SELL, context)) {
    const key = keyOf(row);
    let group = groups.get(key);
    if (group === undefined) {
      group = { key, area: table.area[row] as number, green: table.green[row] === 1, rows: [], head: 0 };
      groups.set(key, group);
    }
    group.rows.push(row);
  }
  return [...groups.values()];
}

/** The group's first seller with quantity left (advancing past exhausted ones), or -1. */
export function headSeller(group: SellerGroup, remaining: Float64Array): number {
  while (group.head < group.rows.length && (remaining[group.rows[group.head] as number] as number) <= 0) {
    group.head++;
  }
  return group.head < group.rows.length ? (group.rows[group.head] as number) : -1;
}
