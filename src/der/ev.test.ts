import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { createEv, DEFAULT_EV_PARAMS, evSessionForDay, sampleEvParams, validateEvParams } from './ev.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

const weather = {} as WeatherSnapshot;
const SLOT_MS = 300_000;
const HOUR = 3_600_000;

/**
 * A toy market: prices follow a daily curve; a bid clears when its price is at or above the slot's
 * price and then gets all its power.
 */
function runMarket(ev: ReturnType<typeof createEv>, fromMs: number, toMs: number): number {
  const priceAt = (t: number) => 0.05 + 0.04 * Math.sin((2 * Math.PI * (t / HOUR - 18)) / 24);
  let unmet = 0;
  for (let t = fromMs; t < toMs; t += SLOT_MS) {
    const forecast = Array.from({ length: 288 }, (_, k) => priceAt(t + k * SLOT_MS));
    const signal: MarketSignal = {
      slot: { startMs: t, endMs: t + SLOT_MS },
      priceCapPerKwh: 1,
      meanPricePerKwh: 0.05,
      stdevPricePerKwh: 0.03,
      forecastPricesPerKwh: forecast,
    };
    const bids = ev.bid(signal, weather);
    const clearing = priceAt(t);
    const awarded = bids.reduce((sum, b) => (b.pricePerKwh >= clearing ? sum + b.powerKw : sum), 0);
    ev.dispatch({ slot: signal.slot, clearingPricePerKwh: clearing, awardedKw: awarded, marginalShare: 1 });
    ev.step(weather, t, 300);
    unmet += ev.observe().unmetEnergyKwh ?? 0;
  }
  return unmet;
}

describe('EV', () => {
  it('reports its state of charge while plugged in, none while away', () => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'baseline');
    const capacityKwh = DEFAULT_EV_PARAMS.batteryCapacityKwh;
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 20 * HOUR, energyNeededKwh: capacityKwh / 2 });
    expect(ev.stateOfChargePct).toBeNull();
    ev.step(weather, 18 * HOUR, 300);
    expect(ev.stateOfChargePct).toBeCloseTo(100 * (1 - ev.remainingEnergyKwh / capacityKwh), 9);
    expect(ev.stateOfChargePct).toBeGreaterThan(50);
    // After departure the routine's next stay may already have begun: a value exactly while plugged in.
    ev.step(weather, 20 * HOUR - SLOT_MS, 300);
    expect(ev.stateOfChargePct === null).toBe(ev.observe().pluggedIn !== true);
  });
  it('finishes charging by departure when feasible, waiting for cheap slots', () => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'transactive');
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 31 * HOUR, energyNeededKwh: 30 });
    expect(runMarket(ev, 18 * HOUR, 31 * HOUR + SLOT_MS)).toBe(0);
    expect(ev.totalUnmetEnergyKwh).toBe(0);
  });

  it('a tight stay becomes must-run and still finishes', () => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'transactive');
    // 4 h × 7.2 kW × 0.9 = 25.9 kWh possible; 25 kWh needed.
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 22 * HOUR, energyNeededKwh: 25 });
    expect(runMarket(ev, 18 * HOUR, 22 * HOUR + SLOT_MS)).toBe(0);
  });

  it('reports the energy missing at departure when the stay is too short', () => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'baseline');
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 20 * HOUR, energyNeededKwh: 20 });
    let unmet = 0;
    for (let t = 18 * HOUR; t < 21 * HOUR; t += SLOT_MS) {
      ev.dispatch({
        slot: { startMs: t, endMs: t + SLOT_MS },
        clearingPricePerKwh: 0.1,
        awardedKw: 0,
        marginalShare: 1,
      });
      ev.step(weather, t, 300);
      unmet += ev.observe().unmetEnergyKwh ?? 0;
    }
    expect(unmet).toBeCloseTo(20 - 2 * 7.2 * 0.9, 9);
    expect(ev.totalUnmetEnergyKwh).toBeCloseTo(unmet, 12);
  });

  it('baseline charges at full power on arrival until full', () => {
    const ev = createEv('ev', DEFAULT_EV_PARAMS, 'baseline');
    ev.setSession({ arrivalMs: 18 * HOUR, departureMs: 30 * HOUR, energyNeededKwh: 9 });
    const powers: number[] = [];
    for (let t = 17 * HOUR; t < 21 * HOUR; t += HOUR / 2) powers.push(ev.step(weather, t, 1800));
    expect(powers.slice(0, 2)).toEqual([0, 0]);
    expect(powers[2]).toBeCloseTo(7.2, 9);
    expect(powers[3]).toBeCloseTo(7.2, 9);
    expect(powers[4]).toBeCloseTo((9 / 0.9 - 7.2) / 0.5, 9); // the rest of 10 kWh at the meter
    expect(powers[5]).toBe(0);
  });

  it('draws a commuter routine per day, deterministic in the seed', () => {
    const p = { ...DEFAULT_EV_PARAMS, utcOffsetHours: -7 };
    const s = evSessionForDay(p, 19500);
    const arrivalLocalH = (((s.arrivalMs / HOUR - 7) % 24) + 24) % 24;
    expect(arrivalLocalH).toBeGreaterThanOrEqual(12);
    expect(s.departureMs - s.arrivalMs).toBeGreaterThan(4 * HOUR);
    expect(evSessionForDay(p, 19500)).toEqual(s);
    expect(evSessionForDay(p, 19501)).not.toEqual(s);
  });

  it('runs a week on its routine without losing a day', () => {
    const ev = createEv('ev', { ...DEFAULT_EV_PARAMS, scheduleSeed: 77 }, 'baseline');
    let energy = 0;
    const start = 19500 * 24 * HOUR;
    for (let t = start; t < start + 7 * 24 * HOUR; t += SLOT_MS)
      energy += ev.step(weather, t, 300) * (300 / 3600);
    expect(energy * 0.9).toBeGreaterThan(7 * 10 * 0.5);
    expect(energy * 0.9).toBeLessThan(7 * 10 * 1.6);
    expect(ev.totalUnmetEnergyKwh).toBe(0);
  });

  it('validates and samples deterministically', () => {
    expect(validateEvParams({ ...DEFAULT_EV_PARAMS, chargerKw: 50 })[0]?.path).toBe('ev.chargerKw');
    const rng = new SeededRandom(6);
    for (let i = 0; i < 50; i++) expect(validateEvParams(sampleEvParams(rng))).toEqual([]);
    expect(sampleEvParams(new SeededRandom(1))).toEqual(sampleEvParams(new SeededRandom(1)));
  });
});
