/**
 * A home battery bidding on its home's forecast, beside the price thresholds of plain arbitrage:
 *
 * - forecast PV surplus this hour (net load < 0): buy up to the surplus at the sell threshold × η (the
 *   round-trip efficiency), what a stored kWh is worth when it later displaces a kWh bought at the high
 *   price;
 * - forecast surplus in the next 24 h: keep that much room free, so cheap grid energy does not fill the
 *   battery before the sun does;
 * - one of the home's forecast peak hours (the highest positive net loads of the next 24 h): sell up to
 *   the home's forecast net load at the buy threshold / η, the least that recovers a kWh's purchase;
 * - peaks still to come: keep the energy they need, so arbitrage does not empty the battery before them.
 *
 * The forecast is the home's own net load without the battery (it idles without the market), hourly, the
 * hour containing the slot first.
 */
import type { DerBid, PremisesForecast } from './types.js';

/** How many of the coming 24 hours count as the home's peak. */
export const PEAK_HOURS = 4;

export interface BatteryForecastInputs {
  readonly forecast: PremisesForecast;
  readonly slotHours: number;
  readonly chargeLimitKw: number;
  readonly dischargeLimitKw: number;
  /** Stored energy the battery could still take, and could still give, kWh (inside the SOC window). */
  readonly headroomKwh: number;
  readonly availableKwh: number;
  readonly oneWayEfficiency: number;
  readonly maxDischargeKw: number;
  readonly buyPricePerKwh: number;
  readonly sellPricePerKwh: number;
}

/** The bids: forecast-driven first, then plain arbitrage within what the forecast leaves. */
export function forecastBatteryBids(inputs: BatteryForecastInputs): DerBid[] {
  const { forecast, slotHours, oneWayEfficiency: eta } = inputs;
  const net = forecast.netLoadKwh;
  const hourNetKwh = net[0] ?? 0;
  const peak = peakHours(net);
  const surplusLaterKwh = net.slice(1).reduce((sum, kwh) => sum + Math.max(0, -kwh), 0);
  let peakNeedKwh = 0;
  for (let k = 1; k < net.length; k++) {
    if (peak.has(k)) peakNeedKwh += Math.min(Math.max(0, net[k] ?? 0), inputs.maxDischargeKw);
  }
  const bids: DerBid[] = [];
  let chargeLeftKw = inputs.chargeLimitKw;
  let dischargeLeftKw = inputs.dischargeLimitKw;
  if (hourNetKwh < 0 && chargeLeftKw > 1e-6) {
    const powerKw = Math.min(chargeLeftKw, -hourNetKwh);
    bids.push({ side: 'buy', pricePerKwh: inputs.sellPricePerKwh * eta * eta, powerKw });
    chargeLeftKw -= powerKw;
  }
  if (peak.has(0) && hourNetKwh > 0 && dischargeLeftKw > 1e-6) {
    const powerKw = Math.min(dischargeLeftKw, hourNetKwh);
    bids.push({ side: 'sell', pricePerKwh: inputs.buyPricePerKwh / (eta * eta), powerKw });
    dischargeLeftKw -= powerKw;
  }
  // Arbitrage keeps room for the surplus to come and energy for the peaks to come.
  const arbitrageChargeKw = Math.min(
    chargeLeftKw,
    Math.max(0, inputs.headroomKwh - surplusLaterKwh * eta) / eta / slotHours,
  );
  const arbitrageDischargeKw = Math.min(
    dischargeLeftKw,
    (Math.max(0, inputs.availableKwh - peakNeedKwh / eta) * eta) / slotHours,
  );
  if (arbitrageChargeKw > 1e-6) {
    bids.push({ side: 'buy', pricePerKwh: inputs.buyPricePerKwh, powerKw: arbitrageChargeKw });
  }
  if (arbitrageDischargeKw > 1e-6) {
    bids.push({ side: 'sell', pricePerKwh: inputs.sellPricePerKwh, powerKw: arbitrageDischargeKw });
  }
  return bids;
}

/** Indices of the PEAK_HOURS highest positive net loads (ties: the earlier hour). */
export function peakHours(netLoadKwh: readonly number[]): Set<number> {
  const order = netLoadKwh
    .map((kwh, k) => ({ kwh, k }))
    .filter((hour) => hour.kwh > 0)
    .sort((a, b) => b.kwh - a.kwh || a.k - b.k);
  return new Set(order.slice(0, PEAK_HOURS).map((hour) => hour.k));
}
