/**
 * An EV that sees its home's forecast keeps the home's own peak free: in an hour that is among the
 * home's highest forecast net loads before departure, and that it can skip and still charge in full, a
 * non-urgent EV bids only the lowest price expected before it leaves. Without a forecast it arrives in
 * the evening and charges into the home's evening peak whenever the market price there is below its
 * urgency's quantile; a feeder transformer sees the coincident evening peak of every such home.
 */
import { PEAK_HOURS } from './battery-forecast.js';
import type { PremisesForecast } from './types.js';

/**
 * Whether the hour containing the slot (forecast index 0) is one of the home's peak hours the EV may
 * skip: among the `min(PEAK_HOURS, hours plugged − hours of charging needed)` highest positive forecast
 * net loads of the hours it stays plugged.
 */
export function evSkipsHomePeak(
  forecast: PremisesForecast,
  hoursPluggedLeft: number,
  hoursOfChargingNeeded: number,
): boolean {
  const window = Math.min(forecast.netLoadKwh.length, Math.floor(hoursPluggedLeft));
  const skippable = Math.min(PEAK_HOURS, window - Math.ceil(hoursOfChargingNeeded));
  if (skippable <= 0) return false;
  const hourNet = forecast.netLoadKwh[0] ?? 0;
  if (!(hourNet > 0)) return false;
  let higher = 0;
  for (let k = 1; k < window; k++) if ((forecast.netLoadKwh[k] ?? 0) > hourNet) higher++;
  return higher < skippable;
}
