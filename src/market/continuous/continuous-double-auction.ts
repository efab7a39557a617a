/**
 * The continuous double auction behind the common mechanism interface: one slot's rows go through a
 * fresh order book in submission order (`sequence`), each row an order that trades at once against
 * what rests and rests its remainder. A buy at +priceCap or a sell at −priceCap is a market order.
 * With areas, the grid fee of the areas a trade crosses (area-tree.ts) is paid by the buyer on top,
 * and a pair trades only if the buyer's limit covers price + fee.
 */
import { err, ok } from '../../core/result.js';
import { gridFeePerKwh, type AreaTree } from '../mechanism/area-tree.js';
import type { BilateralTrade, ClearingMechanism, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY } from '../mechanism/order-table.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { rowsInSubmissionOrder } from '../mechanism/submission-order.js';
import type { BookEvents } from './book-events.js';
import { ContinuousOrderBook } from './continuous-order-book.js';
import type { FeeBetweenAreas } from './order-matching.js';

export const CONTINUOUS_DOUBLE_AUCTION = 'continuous-double-auction';

/** Fees between every pair of areas, computed once per clearing (trees are small, trades many). */
function feeTable(tree: AreaTree): FeeBetweenAreas {
  const areas = tree.names.length;
  const fees = new Float64Array(areas * areas).fill(Number.NaN);
  return (sellArea, buyArea) => {
    if (sellArea < 0 || buyArea < 0 || sellArea >= areas || buyArea >= areas) return 0;
    const at = sellArea * areas + buyArea;
    let fee = fees[at] as number;
    if (Number.isNaN(fee)) {
      fee = gridFeePerKwh(tree, sellArea, buyArea);
      fees[at] = fee;
    }
    return fee;
  };
}

export const continuousDoubleAuction: ClearingMechanism = {
  name: CONTINUOUS_DOUBLE_AUCTION,
  guarantees: { uniformPrice: false, orderIndependent: false },
  clear(table, context) {
    const invalid = validateOrderTable(table, context);
    if (invalid !== undefined) return err(invalid);
    // Order ids are unique for the book's life; the incoming order's id is not recorded until its
    // submit returns, so an id not yet seen is the row being submitted.
    const rowOfOrder = new Map<number, number>();
    let incomingRow = -1;
    const trades: BilateralTrade[] = [];
    const events: BookEvents = {
      trade(_sequence, buyOrderId, sellOrderId, _aggressor, price, quantity, feePerKwh) {
        const buyRow = rowOfOrder.get(buyOrderId) ?? incomingRow;
        const sellRow = rowOfOrder.get(sellOrderId) ?? incomingRow;
        trades.push({ buyRow, sellRow, quantity, price, feePerKwh });
      },
    };
    const book = new ContinuousOrderBook({
      priceCap: context.priceCap,
      events,
      initialCapacity: table.rows,
      ...(context.areas === undefined ? {} : { feePerKwh: feeTable(context.areas) }),
    });
    const cap = context.priceCap;
    for (const row of rowsInSubmissionOrder(table)) {
      const quantity = table.quantity[row] as number;
      if (quantity === 0) continue;
      const side = table.side[row] === BUY ? 'buy' : 'sell';
      // Validation lets buys above the cap through (they mean "any price"); the book wants ±cap.
      const price = Math.min(table.price[row] as number, cap);
      const market = side === 'buy' ? price >= cap : price <= -cap;
      incomingRow = row;
      const submitted = book.submit({
        side,
        type: market ? 'market' : 'limit',
        price,
        quantity,
        participant: table.participant[row] as number,
        area: table.area[row] as number,
      });
      if (!submitted.ok) return err(submitted.error);
      if (submitted.value.restingQuantity > 0) rowOfOrder.set(submitted.value.orderId, row);
    }
    return ok(settle(table.rows, trades));
  },
};

/** Per-row fills and quantity-weighted average prices and fees from the list of trades. */
function settle(rows: number, trades: readonly BilateralTrade[]): MarketClearing {
  const filled = new Float64Array(rows);
  const value = new Float64Array(rows);
  const fees = new Float64Array(rows);
  for (const trade of trades) {
    for (const row of [trade.buyRow, trade.sellRow]) {
      filled[row] = (filled[row] as number) + trade.quantity;
      value[row] = (value[row] as number) + trade.quantity * trade.price;
    }
    fees[trade.buyRow] = (fees[trade.buyRow] as number) + trade.quantity * trade.feePerKwh;
  }
  const price = new Float64Array(rows).fill(Number.NaN);
  const feePerKwh = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const quantity = filled[row] as number;
    if (quantity <= 0) continue;
    price[row] = (value[row] as number) / quantity;
    feePerKwh[row] = (fees[row] as number) / quantity;
  }
  return {
    mechanism: CONTINUOUS_DOUBLE_AUCTION,
    filled,
    price,
    feePerKwh,
    clearingPrice: Number.NaN,
    status: trades.length > 0 ? 'matched' : 'null',
    trades,
  };
}
