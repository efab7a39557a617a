/**
 * What a retail customer is charged for a metered slot. Settlement rule: each slot's charge is an integer
 * number of micro-units (1e-6 of the currency, half to even, see core/money); a bill is the sum of its
 * slots, rounded once to minor units. Export (negative energy) is credited at the same price.
 */
import { toMicroUnits, type MicroUnits } from '../core/money.js';

export type RetailTariff =
  | { readonly kind: 'fixed'; readonly energyPricePerKwh: number }
  | { readonly kind: 'real-time'; readonly distributionChargePerKwh: number };

export function retailPricePerKwh(tariff: RetailTariff, clearingPricePerKwh: number): number {
  return tariff.kind === 'fixed'
    ? tariff.energyPricePerKwh
    : clearingPricePerKwh + tariff.distributionChargePerKwh;
}

export function slotChargeMicro(energyKwh: number, pricePerKwh: number): MicroUnits {
  return toMicroUnits(energyKwh * pricePerKwh);
}
