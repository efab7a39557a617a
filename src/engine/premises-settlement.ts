/**
 * The slot's settlement of every premises (the engine's last step): the fixed tariff without a market;
 * with one, its trades, its day-ahead position, its deviation at the imbalance price and the distribution
 * charge (ledger/slot-settlement.ts), in integer micro-units. Returns the market's budget for the slot.
 * Premises of a control group pay the fixed tariff even when there is a market.
 */
import { slotChargeMicro, type RetailTariff } from '../ledger/retail-charge.js';
import { marketSlotChargeMicro } from '../ledger/slot-settlement.js';
import type { MarketSlotResult } from './transactive-cycle.js';

export interface PremisesSettlementInputs {
  readonly hours: number;
  readonly premisesLoadKw: Float64Array;
  readonly netTradedKw: Float64Array;
  readonly tradedCostPerH: Float64Array;
  readonly tariff: RetailTariff;
  readonly market: MarketSlotResult | null;
  readonly forward: { readonly positionKw: ArrayLike<number>; readonly pricePerKwh: number } | null;
  /** Written: each premises' charge for the slot, micro-units. */
  readonly chargeMicro: Float64Array;
  /** Premises flagged 1 pay `fixedTariffPerKwh` for their metered energy, market or not. */
  readonly controlGroup?: { readonly premises: Uint8Array; readonly fixedTariffPerKwh: number };
}

/**
 * Returns the real-time market's budget: homes' energy payments (without day-ahead hedges, which net
 * out against the supplier's forward sales) minus the supplier's revenue for what it delivered; NaN
 * without a market.
 */
export function settlePremises(inputs: PremisesSettlementInputs): number {
  const { hours, premisesLoadKw, tariff, market, forward, chargeMicro, controlGroup } = inputs;
  let energyPaid = 0;
  for (let p = 0; p < premisesLoadKw.length; p++) {
    const meteredKwh = (premisesLoadKw[p] ?? 0) * hours;
    if (controlGroup?.premises[p] === 1) {
      chargeMicro[p] = slotChargeMicro(meteredKwh, controlGroup.fixedTariffPerKwh);
      // The retailer that serves the control home on the fixed tariff buys its energy in the market as
      // unresponsive load (the engine's must-run bid), at the imbalance price.
      if (market !== null) energyPaid += meteredKwh * market.imbalancePricePerKwh;
      continue;
    }
    if (market === null || tariff.kind === 'fixed') {
      chargeMicro[p] = slotChargeMicro(
        meteredKwh,
        tariff.kind === 'fixed' ? tariff.energyPricePerKwh : Number.NaN,
      );
      continue;
    }
    const tradedKwh = (inputs.netTradedKw[p] ?? 0) * hours;
    const tradedCost = (inputs.tradedCostPerH[p] ?? 0) * hours;
    energyPaid += tradedCost + (meteredKwh - tradedKwh) * market.imbalancePricePerKwh;
    const forwardKwh = forward === null ? 0 : (forward.positionKw[p] ?? 0) * hours;
    chargeMicro[p] = marketSlotChargeMicro(
      {
        netTradedKwh: tradedKwh + forwardKwh,
        tradedCost: tradedCost + forwardKwh * (forward?.pricePerKwh ?? 0),
      },
      meteredKwh,
      market.imbalancePricePerKwh,
      tariff.distributionChargePerKwh,
    );
  }
  if (market === null) return Number.NaN;
  // The supplier delivers what the community actually imports: its cleared sale at the cleared price,
  // the difference at the imbalance price, as the homes' deviations are settled.
  let importKwh = 0;
  for (const loadKw of premisesLoadKw) importKwh += loadKw * hours;
  const supplierRevenue =
    market.supplierPaidPerH * hours +
    (importKwh - market.gridSuppliedKw * hours) * market.imbalancePricePerKwh;
  return energyPaid - supplierRevenue;
}
