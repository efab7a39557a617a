import { describe, expect, it } from 'vitest';
import { createBattery, DEFAULT_BATTERY_PARAMS } from './battery.js';
import { forecastBatteryBids, peakHours } from './battery-forecast.js';
import type { MarketSignal, PremisesForecast, WeatherSnapshot } from './types.js';

const eta = Math.sqrt(0.9);
// The default battery at 50 %: 6.75 kWh stored, 1.35..12.825 usable.
const inputs = {
  slotHours: 1,
  chargeLimitKw: 5,
  dischargeLimitKw: 5,
  headroomKwh: 6.075,
  availableKwh: 5.4,
  oneWayEfficiency: eta,
  maxDischargeKw: 5,
  buyPricePerKwh: 0.08,
  sellPricePerKwh: 0.2,
};
const forecastOf = (netLoadKwh: number[]): PremisesForecast => ({
  netLoadKwh,
  pvKwh: netLoadKwh.map(() => 0),
});

describe('forecastBatteryBids', () => {
  it('the peak hours are the highest positive net loads', () => {
    expect([...peakHours([-2, -1, 0.5, 3, 2, 1, 0.2])].sort()).toEqual([2, 3, 4, 5]);
  });

  it('in a forecast PV surplus: absorbs it at what it is worth later, and keeps room for the surplus to come', () => {
    const bids = forecastBatteryBids({ ...inputs, forecast: forecastOf([-2, -1, 0.5, 3, 2, 1, 0.2]) });
    // Absorb 2 kW at 0.2 × 0.9; arbitrage charges the other 3 kW at the low threshold (room is ample).
    // The peaks to come need (3 + 2 + 1 + 0.5) / η = 6.85 kWh stored, more than the 5.4 available: no sale.
    expect(bids).toHaveLength(2);
    expect(bids[0]).toEqual({ side: 'buy', pricePerKwh: 0.2 * eta * eta, powerKw: 2 });
    expect(bids[1]).toEqual({ side: 'buy', pricePerKwh: 0.08, powerKw: 3 });
  });

  it("in one of the home's forecast peaks: sells into its net load, keeps the energy the later peaks need", () => {
    const bids = forecastBatteryBids({ ...inputs, forecast: forecastOf([3, 1, 0.2, 2.5, 0.1]) });
    expect(bids[0]).toEqual({ side: 'sell', pricePerKwh: 0.08 / (eta * eta), powerKw: 3 });
    expect(bids[1]).toEqual({ side: 'buy', pricePerKwh: 0.08, powerKw: 5 });
    // Later peaks (1 + 0.2 + 2.5 kWh) keep 3.7 / η stored; arbitrage may sell the rest × η, at most 2 kW left.
    expect(bids[2]?.side).toBe('sell');
    expect(bids[2]?.pricePerKwh).toBe(0.2);
    expect(bids[2]?.powerKw).toBeCloseTo((5.4 - 3.7 / eta) * eta, 12);
  });

  it('keeps room: a large surplus to come stops grid charging', () => {
    const bids = forecastBatteryBids({ ...inputs, forecast: forecastOf([0.2, -3, -3, -2]) });
    // 8 kWh of surplus to come × η = 7.59 kWh of room > 6.075 free: no charge from the grid now.
    expect(bids.filter((bid) => bid.side === 'buy')).toEqual([]);
  });
});

describe('battery on forecasts', () => {
  const slot = { startMs: 0, endMs: 3_600_000 };
  const weather = {} as WeatherSnapshot;
  const signal: MarketSignal = {
    slot,
    priceCapPerKwh: 1,
    meanPricePerKwh: 0.1,
    stdevPricePerKwh: 0.03,
    forecastPricesPerKwh: [0.05, 0.08, 0.08, 0.1, 0.12, 0.2, 0.2, 0.2],
  };

  it("discharges in the home's forecast peak at a price the thresholds alone would not", () => {
    const plain = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive').bid(signal, weather);
    const seen: string[] = [];
    const onForecast = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive').bid(
      {
        ...signal,
        premisesForecast: (id) => {
          seen.push(id);
          return forecastOf([3, 0.5, 0.5]);
        },
      },
      weather,
    );
    expect(seen).toEqual(['b']);
    const lowestSell = (bids: typeof plain) =>
      Math.min(...bids.filter((bid) => bid.side === 'sell').map((bid) => bid.pricePerKwh));
    expect(lowestSell(onForecast)).toBeLessThan(lowestSell(plain));
    // A clearing price of 0.12 between the thresholds: only the forecast battery sells, 3 kW.
    const soldAt = (bids: typeof plain, price: number) =>
      bids
        .filter((bid) => bid.side === 'sell' && bid.pricePerKwh <= price)
        .reduce((s, b) => s + b.powerKw, 0);
    expect(soldAt(plain, 0.12)).toBe(0);
    expect(soldAt(onForecast, 0.12)).toBe(3);
  });

  it('a baseline battery ignores the forecast', () => {
    expect(
      createBattery('b', DEFAULT_BATTERY_PARAMS, 'baseline').bid(
        { ...signal, premisesForecast: () => forecastOf([3]) },
        weather,
      ),
    ).toEqual([]);
  });
});
