/**
 * What each premises owes for a slot when it trades in a market: its trades at their prices (plus grid
 * fees on what it bought), its deviation from them — metered energy minus net traded energy — at the
 * imbalance price, and the distribution charge on its metered energy. Under a uniform-price market whose
 * imbalance price is the clearing price this is exactly real-time pricing of the meter. Rounded once per
 * premises and slot to integer minor units (half to even).
 */
import { toMinorUnits, type Currency, type MinorUnits } from '../core/money.js';

export interface PremisesTrades {
  /** Net energy bought in the market this slot (negative: sold), kWh. */
  readonly netTradedKwh: number;
  /** What its trades cost: bought × (price + fee) − sold × price, currency. */
  readonly tradedCost: number;
}

export function marketSlotChargeMinor(
  trades: PremisesTrades,
  meteredKwh: number,
  imbalancePricePerKwh: number,
  distributionChargePerKwh: number,
  currency: Currency,
): MinorUnits {
  const imbalanceKwh = meteredKwh - trades.netTradedKwh;
  return toMinorUnits(
    trades.tradedCost + imbalanceKwh * imbalancePricePerKwh + meteredKwh * distributionChargePerKwh,
    currency,
  );
}
