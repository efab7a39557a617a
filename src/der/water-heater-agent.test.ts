import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../core/random.js';
import { createWaterHeater, waterHeaterBidPrice, waterHeaterSetpointF } from './water-heater-agent.js';
import { HOT_WATER_DRAW_SHAPE } from './water-heater-draw.js';
import {
  DEFAULT_WATER_HEATER_PARAMS,
  sampleWaterHeaterParams,
  validateWaterHeaterParams,
} from './water-heater-params.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

const weather: WeatherSnapshot = {
  timeMs: 0,
  outdoorTempC: 20,
  ghiWm2: 0,
  dniWm2: 0,
  dhiWm2: 0,
  windSpeedMps: 0,
  solarZenithDeg: 120,
  solarAzimuthDeg: 0,
};
const signal: MarketSignal = {
  slot: { startMs: 0, endMs: 300_000 },
  priceCapPerKwh: 1,
  meanPricePerKwh: 0.1,
  stdevPricePerKwh: 0.02,
  forecastPricesPerKwh: [],
};

describe('water heater tank', () => {
  it('conserves energy over two days of draws: element = stored change + losses + hot water drawn', () => {
    const heater = createWaterHeater('w', DEFAULT_WATER_HEATER_PARAMS, 'baseline');
    let meteredKwh = 0;
    for (let k = 0; k < 576; k++) meteredKwh += heater.step(weather, k * 300_000, 300) * (300 / 3600);
    const a = heater.energyAccounts();
    expect(a.elementKwh).toBeCloseTo(meteredKwh, 9);
    expect(a.elementKwh).toBeCloseTo(a.storedChangeKwh + a.standbyLossKwh + a.drawnHotWaterKwh, 6);
    // 50 gal/day heated by ~60 °F ≈ 7.3 kWh/day plus standby; two days, in a plausible window.
    expect(meteredKwh).toBeGreaterThan(10);
    expect(meteredKwh).toBeLessThan(30);
  });

  it('keeps the tank within the deadband in baseline mode', () => {
    const heater = createWaterHeater('w', DEFAULT_WATER_HEATER_PARAMS, 'baseline');
    for (let k = 0; k < 288; k++) {
      heater.step(weather, k * 300_000, 300);
      expect(heater.tankTempF).toBeGreaterThan(120 - 4 - 3);
      expect(heater.tankTempF).toBeLessThanOrEqual(120 + 1e-9);
    }
  });

  it('cools without draws toward ambient at the standby time constant', () => {
    const params = {
      ...DEFAULT_WATER_HEATER_PARAMS,
      dailyDrawGal: 0,
      thermostatDeadbandF: 20,
      setpointF: 140,
    };
    const heater = createWaterHeater('w', params, 'baseline');
    heater.step(weather, 0, 3600 * 5);
    const tauHours = (50 * 8.34) / 3;
    expect(heater.tankTempF).toBeCloseTo(70 + 70 * Math.exp(-5 / tauHours), 9);
  });
});

describe('water heater controller', () => {
  it('bids higher as the tank cools, the top of the ramp at and below the lower limit, nothing when full', () => {
    const at = (t: number) => waterHeaterBidPrice(t, 120, 10, 2, signal);
    expect(at(120)).toBeNull();
    expect(at(115)).toBeCloseTo(0.1, 12);
    expect(at(112)! > at(118)!).toBe(true);
    expect(at(110)).toBeCloseTo(0.14, 12);
    expect(at(100)).toBeCloseTo(0.14, 12);
  });
  it('below its lower limit, bids what holds the limit at the cap and the rest of the recovery at the ramp', () => {
    const heater = createWaterHeater(
      'w',
      { ...DEFAULT_WATER_HEATER_PARAMS, initialTankTempF: 109 },
      'transactive',
    );
    const bids = heater.bid(signal, weather);
    expect(bids).toHaveLength(2);
    expect(bids[0]?.pricePerKwh).toBe(1);
    expect(bids[1]?.pricePerKwh).toBeCloseTo(0.14, 12);
    const totalKw = (bids[0]?.powerKw ?? 0) + (bids[1]?.powerKw ?? 0);
    expect(totalKw).toBeLessThanOrEqual(DEFAULT_WATER_HEATER_PARAMS.elementPowerKw + 1e-9);
    expect(heater.tankTempF).toBe(109); // bidding does not move the physics
  });
  it('the setpoint response inverts the bid ramp', () => {
    const price = waterHeaterBidPrice(113, 120, 10, 2, signal)!;
    expect(waterHeaterSetpointF(price, 120, 10, 2, 0.1, 0.02)).toBeCloseTo(113, 9);
    expect(waterHeaterSetpointF(5, 120, 10, 2, 0.1, 0.02)).toBe(110);
    expect(waterHeaterSetpointF(-5, 120, 10, 2, 0.1, 0.02)).toBe(120);
  });
  it('a won bid heats toward the full setpoint and uses what it bid; a lost one coasts', () => {
    const make = () =>
      createWaterHeater('w', { ...DEFAULT_WATER_HEATER_PARAMS, initialTankTempF: 112 }, 'transactive');
    const winner = make();
    const bids = winner.bid(signal, weather);
    const bidKw = bids.reduce((sum, b) => sum + b.powerKw, 0);
    winner.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.1, awardedKw: bidKw, marginalShare: 1 });
    expect(winner.activeSetpointF).toBe(120);
    expect(winner.step(weather, 0, 300)).toBeCloseTo(bidKw, 9);
    const loser = make();
    loser.bid(signal, weather);
    loser.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.13, awardedKw: 0, marginalShare: 1 });
    expect(loser.activeSetpointF).toBeCloseTo(waterHeaterSetpointF(0.13, 120, 10, 2, 0.1, 0.02), 9);
    expect(loser.step(weather, 0, 300)).toBe(0);
  });
});

describe('water heater comfort slider', () => {
  it('scales the flexibility range from the next bid: 0 keeps the tank full at the cap', () => {
    const params = {
      ...DEFAULT_WATER_HEATER_PARAMS,
      initialTankTempF: DEFAULT_WATER_HEATER_PARAMS.setpointF - 4,
    };
    const flexibleBid = (slider: number | null) => {
      const heater = createWaterHeater('w', params, 'transactive');
      heater.setComfortSlider(slider);
      const bids = heater.bid(signal, weather);
      return bids[bids.length - 1]?.pricePerKwh;
    };
    const full = flexibleBid(null);
    expect(flexibleBid(1)).toBe(full);
    // Half the range: 4 °F below the setpoint is deeper into it, so the bid is higher.
    expect(flexibleBid(0.5)).toBeGreaterThan(full ?? Number.NaN);
    expect(flexibleBid(0)).toBe(signal.priceCapPerKwh);
    const heater = createWaterHeater('w', params, 'transactive');
    heater.setComfortSlider(-3);
    expect(heater.comfortSlider).toBe(0);
    expect(heater.elementOn).toBe(false);
  });
});

describe('water heater parameters', () => {
  it('the draw shape sums to one', () => {
    expect(HOT_WATER_DRAW_SHAPE.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(HOT_WATER_DRAW_SHAPE).toHaveLength(24);
  });
  it('rejects out-of-range values', () => {
    const errors = validateWaterHeaterParams({ ...DEFAULT_WATER_HEATER_PARAMS, tankVolumeGal: 1000 });
    expect(errors[0]?.code).toBe('TE_ERR_DER_PARAMETER');
    expect(errors[0]?.path).toBe('water-heater.tankVolumeGal');
  });
  it('samples valid, deterministic tanks', () => {
    const rng = new SeededRandom(5);
    for (let i = 0; i < 200; i++) expect(validateWaterHeaterParams(sampleWaterHeaterParams(rng))).toEqual([]);
    expect(sampleWaterHeaterParams(new SeededRandom(9))).toEqual(
      sampleWaterHeaterParams(new SeededRandom(9)),
    );
  });
});
