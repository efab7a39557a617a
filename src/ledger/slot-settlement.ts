/**
 * What each premises owes for a slot when it trades in a market: its trades at their prices (plus grid
 * fees on what it bought), its deviation from them — metered energy minus net traded energy — at the
 * imbalance price, and the distribution charge on its metered energy. Under a uniform-price market whose
 * imbalance price is the clearing price this is exactly real-time pricing of the meter. In integer
 * micro-units per premises and slot (half to even); bills round to minor units once.
 */
import { toMicroUnits, type MicroUnits } from '../core/money.js';

export interface PremisesTrades {
  /** Net energy bought in the market this slot (negative: sold), kWh. */
  readonly netTradedKwh: number;
  /** What its trades cost: bought × (price + fee) − sold × price, currency. */
  readonly tradedCost: number;
}

export function marketSlotChargeMicro(
  trades: PremisesTrades,
  meteredKwh: number,
  imbalancePricePerKwh: number,
  distributionChargePerKwh: number,
): MicroUnits {
  const imbalanceKwh = meteredKwh - trades.netTradedKwh;
  return toMicroUnits(
    trades.tradedCost + imbalanceKwh * imbalancePricePerKwh + meteredKwh * distributionChargePerKwh,
  );
}
