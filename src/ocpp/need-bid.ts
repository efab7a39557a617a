/**
 * The bid for one slot of an EV's charging need, by tenet's own EV agent (`der/ev.ts`): urgency is the
 * energy still needed over what the charger could deliver until departure; when skipping this slot would
 * leave too little time it bids the price cap, below that the urgency-quantile of the price forecast up to
 * departure (or, without a forecast, mean + 2·stdev·(2u − 1) of the forecast statistics). The rule is
 * scale-free (urgency is a ratio), so the need is handed to the agent normalised to a reference charger
 * inside the agent's parameter range, and the quantity is scaled back: a 150 kW DC charger bids by the
 * same rule as a 7 kW wallbox.
 */
import { createEv, DEFAULT_EV_PARAMS } from '../der/ev.js';
import type { MarketSignal, WeatherSnapshot } from '../der/types.js';
import { supplierPriceAt, type MarketRules } from '../live/market-rules.js';

export interface NeedBid {
  readonly pricePerKwh: number;
  readonly powerKw: number;
}

export interface NeedForBidding {
  readonly remainingWh: number;
  readonly departureMs: number;
  readonly maxPowerW: number;
}

const REFERENCE_CHARGER_KW = 10;
/** The EV agent does not read the weather; the interface asks for one. */
const NO_WEATHER: WeatherSnapshot = {
  timeMs: 0,
  outdoorTempC: 20,
  ghiWm2: 0,
  dniWm2: 0,
  dhiWm2: 0,
  windSpeedMps: 0,
  solarZenithDeg: 90,
  solarAzimuthDeg: 0,
};

/** The buy for `slot`, or undefined when nothing is needed in it (no energy left, or after departure). */
export function bidForNeed(
  need: NeedForBidding,
  slot: { readonly startMs: number; readonly endMs: number },
  signal: Omit<MarketSignal, 'slot'>,
): NeedBid | undefined {
  if (need.remainingWh <= 0 || need.maxPowerW <= 0 || slot.startMs >= need.departureMs) return undefined;
  const scale = need.maxPowerW / 1000 / REFERENCE_CHARGER_KW;
  // The station's register is the EV's energy as far as the market is concerned: no charging losses.
  const agent = createEv(
    'ocpp-need',
    { ...DEFAULT_EV_PARAMS, chargerKw: REFERENCE_CHARGER_KW, chargingEfficiency: 1 },
    'transactive',
  );
  agent.setSession({
    arrivalMs: slot.startMs,
    departureMs: need.departureMs,
    energyNeededKwh: need.remainingWh / 1000 / scale,
  });
  const [bid] = agent.bid({ ...signal, slot }, { ...NO_WEATHER, timeMs: slot.startMs });
  if (bid === undefined) return undefined;
  const cap = signal.priceCapPerKwh;
  return {
    pricePerKwh: Math.min(cap, Math.max(-cap, bid.pricePerKwh)),
    powerKw: bid.powerKw * scale,
  };
}

/**
 * The market signal the need bids against: the supplier's offer prices from the slot to departure as
 * the forecast, and their mean and spread. A market without a supplier has no forecast; its mean and
 * spread are half and a quarter of the cap, so the bid is the urgency times the cap.
 */
export function needSignal(
  rules: MarketRules,
  slotStartMs: number,
  departureMs: number,
): Omit<MarketSignal, 'slot'> {
  const forecast: number[] = [];
  const supplier = rules.supplier;
  if (supplier !== undefined) {
    for (let t = slotStartMs; t < departureMs && forecast.length < 2_016; t += rules.slotDurationMs)
      forecast.push(supplierPriceAt(supplier, t));
  }
  if (forecast.length === 0) {
    return {
      priceCapPerKwh: rules.priceCapPerKwh,
      meanPricePerKwh: rules.priceCapPerKwh / 2,
      stdevPricePerKwh: rules.priceCapPerKwh / 4,
      forecastPricesPerKwh: [],
    };
  }
  const mean = forecast.reduce((a, b) => a + b, 0) / forecast.length;
  const variance = forecast.reduce((a, p) => a + (p - mean) ** 2, 0) / forecast.length;
  return {
    priceCapPerKwh: rules.priceCapPerKwh,
    meanPricePerKwh: mean,
    stdevPricePerKwh: Math.sqrt(variance),
    forecastPricesPerKwh: forecast,
  };
}
