/**
 * From a list of bilateral trades to the per-row view of a clearing: quantity filled, quantity-weighted
 * average energy price, and average grid fee on buyers' rows.
 */
import type { BilateralTrade, MarketClearing } from '../mechanism/clearing-mechanism.js';

/**
 * `buyerEnergyPrice[k]` is what the buyer of trade k pays for energy (before the fee) when it differs
 * from what the seller receives (pay-as-bid); absent, both sides see `trade.price`.
 */
export function settleTrades(
  mechanism: string,
  rows: number,
  trades: readonly BilateralTrade[],
  buyerEnergyPrice?: Float64Array,
): MarketClearing {
  const filled = new Float64Array(rows);
  const value = new Float64Array(rows);
  const fees = new Float64Array(rows);
  trades.forEach((trade, k) => {
    const buyerPrice = buyerEnergyPrice?.[k] ?? trade.price;
    filled[trade.buyRow] = (filled[trade.buyRow] as number) + trade.quantity;
    filled[trade.sellRow] = (filled[trade.sellRow] as number) + trade.quantity;
    value[trade.buyRow] = (value[trade.buyRow] as number) + trade.quantity * buyerPrice;
    value[trade.sellRow] = (value[trade.sellRow] as number) + trade.quantity * trade.price;
    fees[trade.buyRow] = (fees[trade.buyRow] as number) + trade.quantity * trade.feePerKwh;
  });
  const price = new Float64Array(rows).fill(Number.NaN);
  const feePerKwh = new Float64Array(rows);
  for (let row = 0; row < rows; row++) {
    const quantity = filled[row] as number;
    if (quantity <= 0) continue;
    price[row] = (value[row] as number) / quantity;
    feePerKwh[row] = (fees[row] as number) / quantity;
  }
  return {
    mechanism,
    filled,
    price,
    feePerKwh,
    clearingPrice: Number.NaN,
    status: trades.length > 0 ? 'matched' : 'null',
    trades,
  };
}
