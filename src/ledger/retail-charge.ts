/**
 * What a retail customer is charged for a metered slot. Settlement rule: each slot's charge is rounded to
 * integer minor units (half to even, see core/money) and bills are sums of those integers, so a bill
 * equals the sum of its lines exactly. Export (negative energy) is credited at the same price.
 */
import { toMinorUnits, type Currency, type MinorUnits } from '../core/money.js';

export type RetailTariff =
  | { readonly kind: 'fixed'; readonly energyPricePerKwh: number }
  | { readonly kind: 'real-time'; readonly distributionChargePerKwh: number };

export function retailPricePerKwh(tariff: RetailTariff, clearingPricePerKwh: number): number {
  return tariff.kind === 'fixed'
    ? tariff.energyPricePerKwh
    : clearingPricePerKwh + tariff.distributionChargePerKwh;
}

export function slotChargeMinor(energyKwh: number, pricePerKwh: number, currency: Currency): MinorUnits {
  return toMinorUnits(energyKwh * pricePerKwh, currency);
}
