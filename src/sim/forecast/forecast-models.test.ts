import { describe, expect, it } from 'vitest';
import { createForecaster, persistenceSource } from './forecast-models.js';
import { KnownMeters, meterTimeline } from './meter-timeline.js';
import { syntheticTimeline } from './synthetic-timeline.fixture.js';
import type { PremisesMeters } from '../results.js';

const startMs = Date.UTC(2026, 6, 1);

const sun = (h: number) => Math.max(0, 800 * Math.sin(((h % 24) - 6) * (Math.PI / 12)));
const temp = (h: number) => 70 + 10 * Math.sin(((h % 24) - 9) * (Math.PI / 12)) + (h % 7);

describe('meterTimeline', () => {
  it('joins the pre-period and the horizon, consumption = net + PV, local hours from the offset', () => {
    const meters = (start: number, net: number[], pv: number[]): PremisesMeters => ({
      startMs: start,
      hours: net.length,
      premises: 1,
      netLoadKwh: Float32Array.from(net),
      pvKwh: Float32Array.from(pv),
      outdoorTempF: Float64Array.from(net, () => 70),
    });
    const timeline = meterTimeline(
      meters(startMs, [1, -0.5], [0, 2]),
      meters(startMs + 2 * 3_600_000, [3], [1]),
      (timeMs) => (timeMs - startMs) / 3_600_000,
      -300,
    );
    expect(Array.from(timeline.loadKwh)).toEqual([1, 1.5, 4]);
    expect(timeline.horizonStartHour).toBe(2);
    expect(Array.from(timeline.ghiWm2)).toEqual([0.5, 1.5, 2.5]);
    // UTC midnight is 19:00 at UTC-5.
    expect(Array.from(timeline.hourOfDay)).toEqual([19, 20, 21]);
    // A pre-period that does not end where the horizon starts is left out.
    expect(
      meterTimeline(meters(startMs, [1], [0]), meters(startMs + 2 * 3_600_000, [3], [1]), () => 0, 0).hours,
    ).toBe(1);
  });
});

describe('persistence', () => {
  it('copies the same hour of the day before, or of the week before once a week is metered', () => {
    expect(persistenceSource(30, 31)).toBe(7);
    expect(persistenceSource(200, 205)).toBe(37);
    expect(persistenceSource(10, 20)).toBeNull();
    const timeline = syntheticTimeline(
      2,
      72,
      24,
      (p, h) => p + h,
      () => 0,
      temp,
      sun,
    );
    const forecast = createForecaster('persistence', timeline).forecast(30, 24);
    // Home 1, hour 31 (k = 1) copies hour 7: 1 + 7.
    expect(forecast.loadKwh[24 + 1]).toBe(8);
    // Hour 47 (k = 17) copies hour 23; hour 48 (k = 18) copies hour 24, already metered at 30.
    expect(forecast.loadKwh[17]).toBe(23);
    expect(forecast.loadKwh[18]).toBe(24);
  });
});

describe('seasonal regression', () => {
  it('recovers an hour-of-day profile with a cooling term, and PV proportional to irradiance', () => {
    const load = (_p: number, h: number) => 0.5 + (h % 24 === 18 ? 1 : 0) + 0.05 * Math.max(0, temp(h) - 65);
    const timeline = syntheticTimeline(1, 24 * 6, 24 * 5, load, (_p, h) => 0.004 * sun(h), temp, sun);
    const forecast = createForecaster('seasonal-regression', timeline).forecast(24 * 5, 24);
    for (let k = 0; k < 24; k++) {
      expect(forecast.loadKwh[k]).toBeCloseTo(load(0, 120 + k), 2);
      expect(forecast.pvKwh[k]).toBeCloseTo(0.004 * sun(120 + k), 6);
    }
  });

  it('forecasts 0 before anything is metered', () => {
    const timeline = syntheticTimeline(
      1,
      48,
      0,
      () => 1,
      () => 0,
      temp,
      sun,
    );
    expect(Array.from(createForecaster('seasonal-regression', timeline).forecast(0, 3).loadKwh)).toEqual([
      0, 0, 0,
    ]);
  });
});

describe('no peeking', () => {
  it('a known-meters view refuses the issue hour and later', () => {
    const timeline = syntheticTimeline(
      1,
      48,
      24,
      () => 1,
      () => 0,
      temp,
      sun,
    );
    const known = new KnownMeters(timeline, 30);
    expect(known.loadKwh(0, 29)).toBe(1);
    expect(() => known.loadKwh(0, 30)).toThrow(RangeError);
    expect(() => known.pvKwh(0, 47)).toThrow(RangeError);
  });

  it.each(['persistence', 'seasonal-regression'] as const)(
    '%s: a forecast issued at t is the same whatever was metered from t on',
    (model) => {
      const load = (p: number, h: number) => 1 + p + 0.3 * Math.sin(h / 3) + 0.02 * temp(h);
      const truth = syntheticTimeline(3, 24 * 9, 24 * 2, load, (_p, h) => 0.003 * sun(h), temp, sun);
      const altered = syntheticTimeline(
        3,
        24 * 9,
        24 * 2,
        (p, h) => (h >= 100 ? 99 : load(p, h)),
        (_p, h) => (h >= 100 ? 9 : 0.003 * sun(h)),
        temp,
        sun,
      );
      const a = createForecaster(model, truth);
      const b = createForecaster(model, altered);
      for (const issue of [60, 90, 100]) {
        const fa = a.forecast(issue, 24);
        const fb = b.forecast(issue, 24);
        expect(Array.from(fb.loadKwh)).toEqual(Array.from(fa.loadKwh));
        expect(Array.from(fb.pvKwh)).toEqual(Array.from(fa.pvKwh));
      }
      // One hour later the altered meters are known and the forecasts differ.
      expect(Array.from(b.forecast(101, 24).loadKwh)).not.toEqual(Array.from(a.forecast(101, 24).loadKwh));
    },
  );
});
