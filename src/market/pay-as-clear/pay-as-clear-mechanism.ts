/**
 * Pay-as-clear as Grid Singularity defines it (line-sweep-clearing.ts): one price for every trade, the
 * quantity shared out in merit order (merit-order-matching.ts). No grid fees: like GS's one-sided
 * pay-as-clear market it clears one area; fees are for the bilateral designs.
 */
import { err, ok } from '../../core/result.js';
import type { BilateralTrade, ClearingMechanism } from '../mechanism/clearing-mechanism.js';
import { emptyClearing } from '../mechanism/clearing-mechanism.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { settleTrades } from '../pay-as-bid/trade-settlement.js';
import { lineSweepClearing } from './line-sweep-clearing.js';
import { matchInMeritOrder } from './merit-order-matching.js';

export const PAY_AS_CLEAR = 'pay-as-clear';

export const payAsClear: ClearingMechanism = {
  name: PAY_AS_CLEAR,
  guarantees: { uniformPrice: true, orderIndependent: false },
  clear(table, context) {
    const invalid = validateOrderTable(table, context);
    if (invalid !== undefined) return err(invalid);
    const clearing = lineSweepClearing(table, context);
    if (clearing === undefined || clearing.quantity <= 0) return ok(emptyClearing(PAY_AS_CLEAR, table.rows));
    const trades: BilateralTrade[] = matchInMeritOrder(table, context, clearing.quantity).map((m) => ({
      ...m,
      price: clearing.price,
      feePerKwh: 0,
    }));
    return ok({ ...settleTrades(PAY_AS_CLEAR, table.rows, trades), clearingPrice: clearing.price });
  },
};
