/**
 * Grid Singularity's pay-as-clear rule (gsy-framework `PayAsClearMatchingAlgorithm`, its default
 * "line sweep" aggregation), re-implemented from its description and tests:
 *
 * - demand D(p): the quantity bid at p or more; supply S(p): the quantity offered at p or less.
 * - Walk the distinct bid prices from the lowest up. The first bid price b where S(b) ≥ D(b) clears:
 *   the clearing price is b and the quantity D(b).
 * - If supply never covers demand, the clearing price is the highest bid price and the quantity is
 *   everything offered at or below it.
 * - Nothing clears when no offer is at or below the highest bid.
 *
 * The price is a bid price, where supply first covers demand, not the competitive price between the
 * curves (GridLAB-D's uniform-price auction): in GS's own test, bids 7,6,5,4,3,2,1 and offers
 * 2,3,3,5,6,7,8 clear at 5 for 3 units, where any price from 3 to 5 clears them. The quantity may also
 * fall short of the competitive one when a large bid straddles the crossing (docs/designs/pay-as-clear.md).
 */
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { BUY, SELL, type OrderTable } from '../mechanism/order-table.js';
import { limitPrice, meritOrder } from '../pay-as-bid/merit-order.js';

export interface LineSweepClearing {
  /** Price per kWh every trade settles at. */
  readonly price: number;
  /** Total quantity that trades (kW over the slot, as the rows). */
  readonly quantity: number;
}

/** Distinct prices with the cumulative quantity up to each, in the order of `rows` (merit order). */
function cumulative(table: OrderTable, rows: readonly number[], context: ClearingContext) {
  const prices: number[] = [];
  const totals: number[] = [];
  let total = 0;
  for (const row of rows) {
    const price = limitPrice(table, row, context);
    total += table.quantity[row] as number;
    if (prices.length > 0 && prices[prices.length - 1] === price) totals[totals.length - 1] = total;
    else {
      prices.push(price);
      totals.push(total);
    }
  }
  return { prices, totals };
}

export function lineSweepClearing(
  table: OrderTable,
  context: ClearingContext,
): LineSweepClearing | undefined {
  const bids = cumulative(table, meritOrder(table, BUY, context), context);
  const offers = cumulative(table, meritOrder(table, SELL, context), context);
  if (bids.prices.length === 0 || offers.prices.length === 0) return undefined;
  // Bids come highest first; the sweep goes from the lowest bid price up.
  let offerAt = -1; // index of the dearest offer price at or below the current bid price
  for (let k = bids.prices.length - 1; k >= 0; k--) {
    const bidPrice = bids.prices[k] as number;
    while (offerAt + 1 < offers.prices.length && (offers.prices[offerAt + 1] as number) <= bidPrice)
      offerAt++;
    if (offerAt < 0) continue;
    const demand = bids.totals[k] as number;
    if ((offers.totals[offerAt] as number) >= demand) return { price: bidPrice, quantity: demand };
  }
  // Supply never covered demand: the highest bid price and all supply at or below it.
  if (offerAt < 0) return undefined;
  return { price: bids.prices[0] as number, quantity: offers.totals[offerAt] as number };
}
