/**
 * The pay-as-bid (discriminatory) periodic auction. At gate closure buys are ranked by price descending
 * and sells ascending (ties by submission sequence); each buyer in turn takes the cheapest sellers left
 * whose offer plus the grid fee between them is within its bid. Every matched pair settles at its own
 * prices: the buyer pays its bid (grid fee included), the seller receives its offer, the areas crossed
 * get the fee, and the spread (bid − fee − offer ≥ 0) goes to the market operator. The market is budget
 * balanced with a surplus, never a deficit.
 */
import { err, ok } from '../../core/result.js';
import { feeLookup } from '../grid-fees/fee-lookup.js';
import type { BilateralTrade, ClearingContext, ClearingMechanism } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { headSeller, limitPrice, meritOrder, sellerGroups } from './merit-order.js';
import { settleTrades } from './trade-settlement.js';

export const PAY_AS_BID = 'pay-as-bid';

export interface PayAsBidMatch {
  readonly trades: BilateralTrade[];
  /** Per trade, the buyer's energy price: its bid less the grid fee. */
  readonly buyerEnergyPrice: Float64Array;
}

/** The matching walk, without validation (the mechanism validates first). */
export function matchPayAsBid(table: OrderTable, context: ClearingContext): PayAsBidMatch {
  const fee = feeLookup(context.areas);
  const remaining = Float64Array.from(table.quantity);
  // Sellers of one area share the fee to any buyer, so one head per area is enough (merit-order.ts).
  const groups = sellerGroups(table, context, (row) =>
    context.areas === undefined ? 0 : (table.area[row] as number),
  );
  const trades: BilateralTrade[] = [];
  const buyerPrices: number[] = [];
  for (const buyer of meritOrder(table, BUY, context)) {
    const bid = limitPrice(table, buyer, context);
    const buyArea = table.area[buyer] as number;
    while ((remaining[buyer] as number) > 0) {
      let best = -1;
      let bestFee = 0;
      let bestOffer = Number.POSITIVE_INFINITY;
      for (const group of groups) {
        const seller = headSeller(group, remaining);
        if (seller < 0) continue;
        const offer = limitPrice(table, seller, context);
        const sellerFee = fee(group.area, buyArea);
        if (offer + sellerFee > bid) continue;
        // Merit order across groups: the lower offer, then the earlier submission.
        const precedes =
          best < 0 || offer < bestOffer || (offer === bestOffer && earlier(table, seller, best));
        if (precedes) {
          best = seller;
          bestFee = sellerFee;
          bestOffer = offer;
        }
      }
      if (best < 0) break;
      const quantity = Math.min(remaining[buyer] as number, remaining[best] as number);
      remaining[buyer] = (remaining[buyer] as number) - quantity;
      remaining[best] = (remaining[best] as number) - quantity;
      trades.push({ buyRow: buyer, sellRow: best, quantity, price: bestOffer, feePerKwh: bestFee });
      buyerPrices.push(bid - bestFee);
    }
  }
  return { trades, buyerEnergyPrice: Float64Array.from(buyerPrices) };
}

function earlier(table: OrderTable, a: number, b: number): boolean {
  const sa = table.sequence[a] as number;
  const sb = table.sequence[b] as number;
  return sa < sb || (sa === sb && a < b);
}

export const payAsBidAuction: ClearingMechanism = {
  name: PAY_AS_BID,
  guarantees: { uniformPrice: false, orderIndependent: false },
  clear(table, context) {
    const invalid = validateOrderTable(table, context);
    if (invalid !== undefined) return err(invalid);
    const { trades, buyerEnergyPrice } = matchPayAsBid(table, context);
    return ok(settleTrades(PAY_AS_BID, table.rows, trades, buyerEnergyPrice));
  },
};
