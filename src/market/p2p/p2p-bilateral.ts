/**
 * P2P bilateral matching with preferences. Buyers take turns by bid price (highest first, ties by
 * submission sequence); each buyer is matched to the sellers it can afford (offer + grid fee within its
 * bid) in the order of its preferences (seller-preference.ts): local first, green first if it prefers
 * green, then cheapest. Each pair trades at the midpoint of the bid and the offer + fee; the buyer pays
 * the fee on top of the energy price and the areas crossed collect it. Budget balanced: buyers' energy
 * payments equal what sellers receive.
 *
 * A row's `green` flag marks a seller's energy as renewable and, on a buy row, a preference for it.
 */
import { err, ok } from '../../core/result.js';
import { distanceLookup, feeLookup } from '../grid-fees/fee-lookup.js';
import type { BilateralTrade, ClearingContext, ClearingMechanism } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import { validateOrderTable } from '../mechanism/order-table-validation.js';
import { headSeller, limitPrice, meritOrder, sellerGroups } from '../pay-as-bid/merit-order.js';
import { settleTrades } from '../pay-as-bid/trade-settlement.js';
import { midpointEnergyPrice, preferred, type SellerCandidate } from './seller-preference.js';

export const P2P_BILATERAL = 'p2p-bilateral';

/** The matching, without validation (the mechanism validates first). */
export function matchP2p(table: OrderTable, context: ClearingContext): BilateralTrade[] {
  const fee = feeLookup(context.areas);
  const distance = distanceLookup(context.areas);
  const remaining = Float64Array.from(table.quantity);
  // Within one (area, colour) group every preference key but the price is shared, so the group's head
  // in merit order is its most preferred seller for any buyer.
  const groups = sellerGroups(table, context, (row) => {
    const area = context.areas === undefined ? 0 : (table.area[row] as number) + 1;
    return area * 2 + (table.green[row] as number);
  });
  const trades: BilateralTrade[] = [];
  for (const buyer of meritOrder(table, BUY, context)) {
    const bid = limitPrice(table, buyer, context);
    const buyArea = table.area[buyer] as number;
    const prefersGreen = table.green[buyer] === 1;
    while ((remaining[buyer] as number) > 0) {
      let best: (SellerCandidate & { offer: number; fee: number }) | undefined;
      for (const group of groups) {
        const seller = headSeller(group, remaining);
        if (seller < 0) continue;
        const offer = limitPrice(table, seller, context);
        const sellerFee = fee(group.area, buyArea);
        if (offer + sellerFee > bid) continue;
        const candidate = {
          row: seller,
          distance: distance(group.area, buyArea),
          colourRank: prefersGreen && !group.green ? 1 : 0,
          costPerKwh: offer + sellerFee,
          sequence: table.sequence[seller] as number,
          offer,
          fee: sellerFee,
        };
        if (best === undefined || preferred(candidate, best)) best = candidate;
      }
      if (best === undefined) break;
      const quantity = Math.min(remaining[buyer] as number, remaining[best.row] as number);
      remaining[buyer] = (remaining[buyer] as number) - quantity;
      remaining[best.row] = (remaining[best.row] as number) - quantity;
      trades.push({
        buyRow: buyer,
        sellRow: best.row,
        quantity,
        price: midpointEnergyPrice(bid, best.offer, best.fee),
        feePerKwh: best.fee,
      });
    }
  }
  return trades;
}

export const p2pBilateral: ClearingMechanism = {
  name: P2P_BILATERAL,
  guarantees: { uniformPrice: false, orderIndependent: false },
  clear(table, context) {
    const invalid = validateOrderTable(table, context);
    if (invalid !== undefined) return err(invalid);
    return ok(settleTrades(P2P_BILATERAL, table.rows, matchP2p(table, context)));
  },
};
