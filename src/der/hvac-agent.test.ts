import { describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import { celsiusFromFahrenheit } from '../core/units.js';
import { createHvac } from './hvac-agent.js';
import { DEFAULT_HVAC_PARAMS, sampleHvacParams, validateHvacParams, type HvacParams } from './hvac-params.js';
import type { MarketSignal, WeatherSnapshot } from './types.js';

function night(outdoorF: number, timeMs = 0): WeatherSnapshot {
  return {
    timeMs,
    outdoorTempC: celsiusFromFahrenheit(outdoorF),
    ghiWm2: 0,
    dniWm2: 0,
    dhiWm2: 0,
    windSpeedMps: 2,
    solarZenithDeg: 120,
    solarAzimuthDeg: 0,
  };
}

/** Reference solution by classical RK4 with 1 s steps, independent of the closed form. */
function rk4Air(p: HvacParams, airF: number, massF: number, outdoorF: number, hours: number): number {
  const agent = createHvac('ref', p, 'baseline');
  const { uaBtuPerHF: ua, massConductanceBtuPerHF: hm } = agent.etp;
  const { airCapacitanceBtuPerF: ca, massCapacitanceBtuPerF: cm } = agent.etp;
  const qa = p.internalGainBtuPerHour * (1 - p.massInternalGainFraction);
  const qm = p.internalGainBtuPerHour * p.massInternalGainFraction;
  const f = (a: number, m: number): [number, number] => [
    (hm * (m - a) + ua * (outdoorF - a) + qa) / ca,
    (hm * (a - m) + qm) / cm,
  ];
  const dt = 1 / 3600;
  let a = airF;
  let m = massF;
  for (let t = 0; t < hours - 1e-12; t += dt) {
    const [k1a, k1m] = f(a, m);
    const [k2a, k2m] = f(a + (dt / 2) * k1a, m + (dt / 2) * k1m);
    const [k3a, k3m] = f(a + (dt / 2) * k2a, m + (dt / 2) * k2m);
    const [k4a, k4m] = f(a + dt * k3a, m + dt * k3m);
    a += (dt / 6) * (k1a + 2 * k2a + 2 * k3a + k4a);
    m += (dt / 6) * (k1m + 2 * k2m + 2 * k3m + k4m);
  }
  return a;
}

const freeFloating: HvacParams = {
  ...DEFAULT_HVAC_PARAMS,
  heatingSystem: 'none',
  coolingCapacityBtuPerHour: 0,
  internalGainBtuPerHour: 0,
  initialAirTempF: 75,
};

describe('ETP house physics', () => {
  it('with the HVAC off drifts toward the outdoor temperature as the analytic two-node solution', () => {
    const house = createHvac('h', freeFloating, 'baseline');
    const outdoorF = 55;
    for (let k = 1; k <= 24; k++) {
      expect(house.step(night(outdoorF), 0, 3600)).toBe(0);
      if (k === 1 || k === 6 || k === 24) {
        expect(house.airTempF).toBeCloseTo(rk4Air(freeFloating, 75, 75, outdoorF, k), 4);
      }
    }
    // Late in the drift, the gap to outdoors decays with the slow time constant ≈ (Ca + Cm) / UA.
    const etp = house.etp;
    const tauHours = (etp.airCapacitanceBtuPerF + etp.massCapacitanceBtuPerF) / etp.uaBtuPerHF;
    const gapBefore = house.airTempF - outdoorF;
    house.step(night(outdoorF), 0, 3600);
    const gapAfter = house.airTempF - outdoorF;
    const measuredTau = -1 / Math.log(gapAfter / gapBefore);
    expect(measuredTau / tauHours).toBeGreaterThan(0.95);
    expect(measuredTau / tauHours).toBeLessThan(1.05);
    expect(tauHours).toBeGreaterThan(3);
    expect(tauHours).toBeLessThan(30);
  });

  it('steps of 300 s and one of 3600 s give the same free-floating temperature', () => {
    const a = createHvac('a', freeFloating, 'baseline');
    const b = createHvac('b', freeFloating, 'baseline');
    for (let i = 0; i < 12; i++) a.step(night(100), 0, 300);
    b.step(night(100), 0, 3600);
    expect(a.airTempF).toBeCloseTo(b.airTempF, 9);
  });

  it('at design conditions holds the setpoint with a plausible duty cycle', () => {
    const params = { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 75 };
    const house = createHvac('h', params, 'baseline');
    const weather = night(95);
    for (let i = 0; i < 24; i++) house.step(weather, 0, 300); // settle the mass
    let energy = 0;
    let minAir = Infinity;
    let maxAir = -Infinity;
    for (let i = 0; i < 48; i++) {
      energy += house.step(weather, 0, 300) * (300 / 3600);
      minAir = Math.min(minAir, house.airTempF);
      maxAir = Math.max(maxAir, house.airTempF);
    }
    // A house far above its setpoint runs the whole step: its average power is the running power.
    const runningKw = createHvac('x', { ...params, initialAirTempF: 90 }, 'baseline').step(weather, 0, 60);
    const duty = energy / 4 / runningKw;
    expect(duty).toBeGreaterThan(0.3);
    expect(duty).toBeLessThan(0.95);
    expect(minAir).toBeGreaterThanOrEqual(75 - 1 - 1e-6);
    expect(maxAir).toBeLessThanOrEqual(75 + 1 + 1e-6);
    const obs = house.observe();
    expect(obs.comfortHighF).toBe(77);
    expect(obs.comfortLowF).toBe(66);
  });

  it('is fast: 1000 houses × 288 five-minute steps', () => {
    const rng = new SeededRandom(7);
    const houses = Array.from({ length: 1000 }, (_, i) =>
      createHvac(`h${i}`, sampleHvacParams(rng), 'baseline'),
    );
    const weathers = Array.from({ length: 288 }, (_, k) => {
      const hour = k / 12;
      const sun = Math.max(0, Math.sin(((hour - 6) / 12) * Math.PI));
      return {
        ...night(80 + 20 * Math.sin(((hour - 9) / 24) * 2 * Math.PI)),
        ghiWm2: 1000 * sun,
        dniWm2: 850 * sun,
        dhiWm2: 100 * sun,
        solarZenithDeg: sun > 0 ? 90 - 80 * sun : 120,
        solarAzimuthDeg: hour < 12 ? 100 : 260,
      };
    });
    const start = performance.now();
    for (const w of weathers) for (const h of houses) h.step(w, 0, 300);
    const elapsedMs = performance.now() - start;
    expect(elapsedMs).toBeLessThan(2000); // 10,000 houses then take < 20 s even on a slow machine
  });
});

describe('transactive HVAC', () => {
  const signal: MarketSignal = {
    slot: { startMs: 0, endMs: 300_000 },
    priceCapPerKwh: 1,
    meanPricePerKwh: 0.1,
    stdevPricePerKwh: 0.02,
    forecastPricesPerKwh: [],
  };
  it('bids its running power and raises the setpoint when the price is high', () => {
    const house = createHvac('h', { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 76 }, 'transactive');
    const bids = house.bid(signal, night(100));
    expect(bids).toHaveLength(1);
    expect(bids[0]?.side).toBe('buy');
    expect(bids[0]?.powerKw).toBeGreaterThan(1);
    expect(bids[0]?.pricePerKwh).toBeCloseTo(0.1 + (1 * 2 * 0.02) / 5, 12);
    house.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.2, awardedKw: 0, marginalShare: 1 });
    expect(house.coolingSetpointF).toBe(80);
  });
  it('uses what it won: a winner holds the base setpoint and draws its bid; a loser stays off', () => {
    const make = () => createHvac('h', { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 76.5 }, 'transactive');
    const weather = night(100);
    const winner = make();
    const [bid] = winner.bid(signal, weather);
    expect(bid?.powerKw).toBeGreaterThan(0);
    winner.dispatch({
      slot: signal.slot,
      clearingPricePerKwh: 0.1,
      awardedKw: bid?.powerKw ?? 0,
      marginalShare: 1,
    });
    expect(winner.coolingSetpointF).toBe(75);
    expect(winner.step(weather, 0, 300)).toBeCloseTo(bid?.powerKw ?? Number.NaN, 9);
    const loser = make();
    loser.bid(signal, weather);
    loser.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.5, awardedKw: 0, marginalShare: 1 });
    expect(loser.coolingSetpointF).toBe(80);
    expect(loser.step(weather, 0, 300)).toBe(0);
    expect(loser.airTempF).toBeGreaterThan(76.5);
  });
  it('follows a comfort slider changed at run time: more comfort bids higher and moves the setpoint less', () => {
    const make = () => createHvac('h', { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 76 }, 'transactive');
    const preset = make().bid(signal, night(100))[0]?.pricePerKwh ?? Number.NaN;
    const house = make();
    expect(house.comfortSlider).toBeNull();
    house.setComfortSlider(0.2);
    expect(house.comfortSlider).toBe(0.2);
    // GridLAB-D's slider rule: range 5 °F × 0.2, ramp 2 + (1 − 0.2).
    const comfortable = house.bid(signal, night(100))[0]?.pricePerKwh ?? Number.NaN;
    expect(comfortable).toBeCloseTo(0.1 + (2.8 * 0.02 * 1) / 1, 12);
    expect(comfortable).toBeGreaterThan(preset);
    house.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.5, awardedKw: 0, marginalShare: 1 });
    expect(house.coolingSetpointF).toBe(76);
    house.setComfortSlider(null);
    expect(house.bid(signal, night(100))[0]?.pricePerKwh).toBeCloseTo(preset, 12);
    house.setComfortSlider(7);
    expect(house.comfortSlider).toBe(1);
    expect(house.thermostatState).toBe('off');
  });
  it('does not bid when cooler than the lowest setpoint', () => {
    const house = createHvac('h', { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 73 }, 'transactive');
    expect(house.bid(signal, night(100))).toHaveLength(0);
  });
  it('baseline mode never bids and keeps its setpoint', () => {
    const house = createHvac('h', { ...DEFAULT_HVAC_PARAMS, initialAirTempF: 80 }, 'baseline');
    expect(house.bid(signal, night(100))).toHaveLength(0);
    house.dispatch({ slot: signal.slot, clearingPricePerKwh: 0.5, awardedKw: 0, marginalShare: 1 });
    expect(house.coolingSetpointF).toBe(75);
  });
});

describe('HVAC parameters', () => {
  it('defaults are valid and sampled houses are valid', () => {
    expect(validateHvacParams(DEFAULT_HVAC_PARAMS)).toEqual([]);
    const rng = new SeededRandom(1);
    for (let i = 0; i < 200; i++) expect(validateHvacParams(sampleHvacParams(rng))).toEqual([]);
  });
  it('rejects out-of-range values with coded errors naming the parameter', () => {
    const errors = validateHvacParams({ ...DEFAULT_HVAC_PARAMS, floorAreaSqft: -5, coolingCop: 20 });
    expect(errors.map((e) => e.code)).toEqual(['TE_ERR_DER_PARAMETER', 'TE_ERR_DER_PARAMETER']);
    expect(errors[0]?.path).toBe('hvac.floorAreaSqft');
    expect(errors[0]?.message).toContain('[100, 20000]');
    expect(() => createHvac('bad', { ...DEFAULT_HVAC_PARAMS, heatingSetpointF: 75 }, 'baseline')).toThrow(
      TeError,
    );
  });
  it('same seed, same houses', () => {
    const a = sampleHvacParams(new SeededRandom(42));
    const b = sampleHvacParams(new SeededRandom(42));
    expect(a).toEqual(b);
    expect(sampleHvacParams(new SeededRandom(43))).not.toEqual(a);
  });
  it('overrides replace drawn values', () => {
    const p = sampleHvacParams(new SeededRandom(3), {
      coolingSetpointF: 78,
      coolingCapacityBtuPerHour: 30000,
    });
    expect(p.coolingSetpointF).toBe(78);
    expect(p.coolingCapacityBtuPerHour).toBe(30000);
  });
});
