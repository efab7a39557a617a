/** Checks every mechanism makes before clearing: finite numbers, no negative quantity, prices in range. */
import type { TeError } from '../../core/errors.js';
import { validateBid, validateMarketParameters } from '../book-validation.js';
import type { ClearingContext } from './clearing-mechanism.js';
import { BUY, type OrderTable } from './order-table.js';

export function validateOrderTable(table: OrderTable, context: ClearingContext): TeError | undefined {
  const parameters = validateMarketParameters(context.priceCap, context.bidOffset);
  if (parameters !== undefined) return parameters;
  for (let i = 0; i < table.rows; i++) {
    const side = table.side[i] === BUY ? 'buy' : 'sell';
    const error = validateBid(
      `rows[${i}]`,
      side,
      table.price[i] ?? NaN,
      table.quantity[i] ?? NaN,
      context.priceCap,
    );
    if (error !== undefined) return error;
  }
  return undefined;
}
