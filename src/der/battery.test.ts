import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import {
  arbitrageThresholds,
  createBattery,
  DEFAULT_BATTERY_PARAMS,
  sampleBatteryParams,
  validateBatteryParams,
} from './battery.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

const weather = {} as WeatherSnapshot;
const slot = { startMs: 0, endMs: 3_600_000 };
const outcome = (awardedKw: number) => ({ slot, clearingPricePerKwh: 0.1, awardedKw, marginalShare: 1 });

describe('battery bookkeeping', () => {
  it('charging X kWh then discharging gives back at most X·η', () => {
    const battery = createBattery('b', { ...DEFAULT_BATTERY_PARAMS, initialSocFraction: 0.1 }, 'transactive');
    let chargedKwh = 0;
    for (let i = 0; i < 2; i++) {
      battery.dispatch(outcome(5));
      chargedKwh += battery.step(weather, 0, 3600);
    }
    expect(chargedKwh).toBeCloseTo(10, 9);
    let dischargedKwh = 0;
    for (let i = 0; i < 10; i++) {
      battery.dispatch(outcome(-5));
      dischargedKwh -= battery.step(weather, 0, 3600);
    }
    expect(dischargedKwh).toBeCloseTo(10 * 0.9, 9);
    expect(battery.stateOfChargeKwh).toBeCloseTo(0.1 * 13.5, 9);
  });

  it('respects the state-of-charge limits', () => {
    const battery = createBattery('b', { ...DEFAULT_BATTERY_PARAMS, initialSocFraction: 0.9 }, 'transactive');
    battery.dispatch(outcome(5));
    const kw = battery.step(weather, 0, 3600);
    expect(battery.stateOfChargeKwh).toBeCloseTo(0.95 * 13.5, 9);
    expect(kw).toBeCloseTo((0.05 * 13.5) / Math.sqrt(0.9), 9);
  });

  it('follows an external limit: a capped discharge keeps its energy stored, a capped charge buys less', () => {
    const limited = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive');
    const free = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive');
    limited.limitActivePower({ maxGenerationKw: 2, maxAbsorbKw: 1 });
    for (const battery of [limited, free]) battery.dispatch(outcome(-5));
    expect(limited.step(weather, 0, 900)).toBe(-2);
    expect(free.step(weather, 0, 900)).toBe(-5);
    expect(limited.observe().curtailedKw).toBe(3);
    expect(free.observe().curtailedKw).toBeUndefined();
    expect(limited.stateOfChargeKwh - free.stateOfChargeKwh).toBeCloseTo((3 * 0.25) / Math.sqrt(0.9), 9);
    // Charging is capped at the absorb limit and is not counted as curtailment.
    limited.dispatch(outcome(5));
    expect(limited.step(weather, 0, 900)).toBe(1);
    expect(limited.observe().curtailedKw).toBe(0);
    // A disconnect: nothing either way.
    limited.limitActivePower({ maxGenerationKw: 0, maxAbsorbKw: 0 });
    expect(limited.step(weather, 0, 900) + 0).toBe(0);
    limited.dispatch(outcome(-5));
    expect(limited.step(weather, 0, 900) + 0).toBe(0);
    expect(limited.observe().curtailedKw).toBe(5);
    // Lifted: the award again, and the observation as without a limit.
    limited.limitActivePower(undefined);
    expect(limited.step(weather, 0, 900)).toBe(-5);
    expect(Object.keys(limited.observe())).toEqual(['powerKw', 'stateOfChargeKwh', 'capacityKwh']);
  });

  it('baseline is idle', () => {
    const battery = createBattery('b', DEFAULT_BATTERY_PARAMS, 'baseline');
    battery.dispatch(outcome(5));
    expect(battery.step(weather, 0, 3600)).toBe(0);
  });
});

describe('arbitrage bids', () => {
  const forecast = [0.02, 0.03, 0.03, 0.04, 0.05, 0.08, 0.1, 0.12];
  const signal: MarketSignal = {
    slot,
    priceCapPerKwh: 1,
    meanPricePerKwh: 0.05,
    stdevPricePerKwh: 0.03,
    forecastPricesPerKwh: forecast,
  };
  it('buys low and sells high, with a spread that covers the losses', () => {
    const bids = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive').bid(signal, weather);
    const buy = bids.find((b) => b.side === 'buy');
    const sell = bids.find((b) => b.side === 'sell');
    expect(buy?.pricePerKwh).toBeLessThan(sell?.pricePerKwh ?? 0);
    expect((buy?.pricePerKwh ?? 1) / 0.9).toBeLessThanOrEqual(sell?.pricePerKwh ?? 0);
    expect(buy?.powerKw).toBe(5);
  });
  it('widens thresholds when the forecast spread is too small for the losses', () => {
    const t = arbitrageThresholds([0.1, 0.1, 0.101], 0.1, DEFAULT_BATTERY_PARAMS);
    expect(t.buyPricePerKwh).toBeLessThanOrEqual(t.sellPricePerKwh * 0.9 + 1e-12);
  });
  it('does not offer to sell when empty', () => {
    const bids = createBattery(
      'b',
      { ...DEFAULT_BATTERY_PARAMS, initialSocFraction: 0.1 },
      'transactive',
    ).bid(signal, weather);
    expect(bids.map((b) => b.side)).toEqual(['buy']);
  });
});

describe('battery parameters', () => {
  it('rejects bad values and samples valid, deterministic ones', () => {
    expect(validateBatteryParams({ ...DEFAULT_BATTERY_PARAMS, roundTripEfficiency: 1.2 })[0]?.path).toBe(
      'battery.roundTripEfficiency',
    );
    expect(
      validateBatteryParams({ ...DEFAULT_BATTERY_PARAMS, minSocFraction: 0.9, maxSocFraction: 0.5 }),
    ).toHaveLength(1);
    const rng = new SeededRandom(2);
    for (let i = 0; i < 50; i++) expect(validateBatteryParams(sampleBatteryParams(rng))).toEqual([]);
    expect(sampleBatteryParams(new SeededRandom(4))).toEqual(sampleBatteryParams(new SeededRandom(4)));
  });
});
