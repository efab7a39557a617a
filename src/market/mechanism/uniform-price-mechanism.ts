/**
 * The uniform-price double auction (specs/double-auction.md) behind the common mechanism interface:
 * rows go to the columnar auction in submission order, each side separately.
 */
import { err, ok } from '../../core/result.js';
import { tryClearUniformPriceAuction } from '../uniform-price-auction.js';
import type { ClearingMechanism, MarketClearing } from './clearing-mechanism.js';
import { BUY } from './order-table.js';
import { validateOrderTable } from './order-table-validation.js';
import { rowsInSubmissionOrder } from './submission-order.js';

export const uniformPriceAuction: ClearingMechanism = {
  name: 'uniform-price-double-auction',
  guarantees: { uniformPrice: true, orderIndependent: false },
  clear(table, context) {
    const invalid = validateOrderTable(table, context);
    if (invalid !== undefined) return err(invalid);
    const order = rowsInSubmissionOrder(table);
    const buyRows: number[] = [];
    const sellRows: number[] = [];
    for (const row of order) (table.side[row] === BUY ? buyRows : sellRows).push(row);
    const pick = (rows: number[], column: Float64Array) => Float64Array.from(rows, (r) => column[r] ?? NaN);
    const outcome = tryClearUniformPriceAuction({
      priceCap: context.priceCap,
      bidOffset: context.bidOffset,
      buyPrices: pick(buyRows, table.price),
      buyQuantities: pick(buyRows, table.quantity),
      sellPrices: pick(sellRows, table.price),
      sellQuantities: pick(sellRows, table.quantity),
    });
    if (!outcome.ok) return err(outcome.error);
    const { price, clearingType, buyServed, sellServed } = outcome.value;
    const clearing: MarketClearing = {
      mechanism: 'uniform-price-double-auction',
      filled: new Float64Array(table.rows),
      price: new Float64Array(table.rows).fill(Number.NaN),
      feePerKwh: new Float64Array(table.rows),
      clearingPrice: price,
      status: clearingType,
    };
    const settle = (rows: number[], served: Float64Array) =>
      rows.forEach((row, k) => {
        const quantity = served[k] ?? 0;
        clearing.filled[row] = quantity;
        if (quantity > 0) clearing.price[row] = price;
      });
    settle(buyRows, buyServed);
    settle(sellRows, sellServed);
    return ok(clearing);
  },
};
