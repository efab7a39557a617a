import { describe, expect, it } from 'vitest';
import { createEv, DEFAULT_EV_PARAMS } from './ev.js';
import { evSkipsHomePeak } from './ev-forecast.js';
import type { MarketSignal, PremisesForecast, WeatherSnapshot } from './types.js';

const HOUR = 3_600_000;
const forecastOf = (netLoadKwh: number[]): PremisesForecast => ({
  netLoadKwh,
  pvKwh: netLoadKwh.map(() => 0),
});
const evening = [4, 3.5, 3, 2, 1, 1, 0.8, 0.6, 0.5, 0.5, 0.5, 0.6, 0.9];

describe('evSkipsHomePeak', () => {
  it('skips an hour among the highest net loads it can spare', () => {
    // 13 h plugged, 3 h of charging needed: up to 4 hours may be skipped.
    expect(evSkipsHomePeak(forecastOf(evening), 13, 2.1)).toBe(true);
    // The fifth highest hour is not skipped.
    expect(evSkipsHomePeak(forecastOf([1, 4, 3.5, 3, 2, ...evening.slice(4)]), 13, 2.1)).toBe(false);
    // No slack: every plugged hour is needed.
    expect(evSkipsHomePeak(forecastOf(evening), 3, 2.5)).toBe(false);
    // The hour's net load is an export: nothing to keep free.
    expect(evSkipsHomePeak(forecastOf([-1, ...evening.slice(1)]), 13, 2.1)).toBe(false);
  });
});

describe('EV on forecasts', () => {
  const weather = {} as WeatherSnapshot;
  const prices = [0.2, 0.18, 0.15, 0.1, 0.05, 0.04, 0.04, 0.04, 0.05, 0.06, 0.08, 0.1, 0.12];
  const signal: MarketSignal = {
    slot: { startMs: 18 * HOUR, endMs: 19 * HOUR },
    priceCapPerKwh: 1,
    meanPricePerKwh: 0.1,
    stdevPricePerKwh: 0.05,
    forecastPricesPerKwh: prices,
  };
  const bidPrice = (forecast: PremisesForecast | null) => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'transactive');
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 31 * HOUR, energyNeededKwh: 30 });
    const bids = ev.bid(
      forecast === null ? signal : { ...signal, premisesForecast: () => forecast },
      weather,
    );
    return bids[0]?.pricePerKwh ?? Number.NaN;
  };

  it("bids only the lowest expected price in the home's forecast evening peak", () => {
    // 30 kWh in 13 h: urgency 0.36, the 0.36-quantile of the 13 prices is 0.0527.
    const plain = bidPrice(null);
    expect(plain).toBeCloseTo(0.0527, 4);
    expect(bidPrice(forecastOf(evening))).toBe(0.04);
    // Outside the home's peak the forecast changes nothing.
    expect(bidPrice(forecastOf([1, 4, 3.5, 3, 2, ...evening.slice(4)]))).toBe(plain);
  });
});
