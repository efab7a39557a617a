/**
 * How a pay-as-clear quantity is shared out, as Grid Singularity does it: bids highest first, offers
 * lowest first, each bid filled from the offers in turn (an offer left over carries to the next bid)
 * until the cleared quantity is reached.
 */
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { BUY, SELL, type OrderTable } from '../mechanism/order-table.js';
import { meritOrder } from '../pay-as-bid/merit-order.js';

export interface MeritOrderMatch {
  readonly buyRow: number;
  readonly sellRow: number;
  readonly quantity: number;
}

/** Below this a remainder is rounding, not energy (GS uses 1e-8 for the same purpose). */
const QUANTITY_TOLERANCE = 1e-9;

export function matchInMeritOrder(
  table: OrderTable,
  context: ClearingContext,
  quantityToMatch: number,
): MeritOrderMatch[] {
  const buys = meritOrder(table, BUY, context);
  const sells = meritOrder(table, SELL, context);
  const matches: MeritOrderMatch[] = [];
  let left = quantityToMatch;
  let s = 0;
  let offerLeft = sells.length > 0 ? (table.quantity[sells[0] as number] as number) : 0;
  for (const buyRow of buys) {
    let bidLeft = table.quantity[buyRow] as number;
    while (bidLeft > QUANTITY_TOLERANCE && left > QUANTITY_TOLERANCE && s < sells.length) {
      const quantity = Math.min(bidLeft, offerLeft, left);
      matches.push({ buyRow, sellRow: sells[s] as number, quantity });
      bidLeft -= quantity;
      offerLeft -= quantity;
      left -= quantity;
      if (offerLeft <= QUANTITY_TOLERANCE && ++s < sells.length)
        offerLeft = table.quantity[sells[s] as number] as number;
    }
    if (left <= QUANTITY_TOLERANCE || s >= sells.length) break;
  }
  return matches;
}
