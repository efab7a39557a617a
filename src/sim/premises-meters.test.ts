import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../core/time.js';
import type { WeatherSnapshot } from '../der/types.js';
import type { SlotReport } from '../engine/transactive-cycle.js';
import { PremisesMetersRecorder } from './premises-meters.js';

const START_MS = Date.UTC(2026, 6, 15);
const QUARTER_MS = MS_PER_HOUR / 4;

function report(slotIndex: number, premisesLoadKw: number[], deviceLoadKw: number[]): SlotReport {
  const startMs = START_MS + slotIndex * QUARTER_MS;
  return {
    slot: { startMs, endMs: startMs + QUARTER_MS },
    market: null,
    substationLoadKw: premisesLoadKw.reduce((a, b) => a + b, 0),
    premisesLoadKw: Float64Array.from(premisesLoadKw),
    deviceLoadKw: Float64Array.from(deviceLoadKw),
    premisesChargeMicro: new Float64Array(premisesLoadKw.length),
    intermediaryRevenue: Number.NaN,
  } as SlotReport;
}

const weatherAt = (tempC: number) => ({ outdoorTempC: tempC }) as WeatherSnapshot;

describe('PremisesMetersRecorder', () => {
  it('integrates each meter per hour, PV generation behind it, and the hour-mean temperature', () => {
    // Two premises: premises 0 has a base load (device 0); premises 1 a base load (1) and PV (2).
    const recorder = new PremisesMetersRecorder(START_MS, 2, 2);
    for (let s = 0; s < 8; s++) {
      const pvKw = s < 4 ? -2 : 0.01; // a PV inverter's night draw is load, not generation
      recorder.record(report(s, [1 + s, 0.5 + pvKw], [1 + s, 0.5, pvKw]), weatherAt(s < 4 ? 20 : 30), [
        0,
        Math.max(0, -pvKw),
      ]);
    }
    const meters = recorder.finish();
    expect(meters.startMs).toBe(START_MS);
    expect(meters.hours).toBe(2);
    // Premises 0: (1 + 2 + 3 + 4) kW × 0.25 h = 2.5 kWh, then (5 + 6 + 7 + 8) × 0.25 = 6.5 kWh.
    expect(Array.from(meters.netLoadKwh.subarray(0, 2))).toEqual([2.5, 6.5]);
    // Premises 1: 4 × (0.5 − 2) × 0.25 = −1.5 kWh (export), then 4 × 0.51 × 0.25 = 0.51 kWh.
    expect(meters.netLoadKwh[2]).toBeCloseTo(-1.5, 6);
    expect(meters.netLoadKwh[3]).toBeCloseTo(0.51, 6);
    expect(Array.from(meters.pvKwh)).toEqual([0, 0, 2, 0]);
    expect(Array.from(meters.outdoorTempF)).toEqual([68, 86]);
  });

  it('leaves an hour without slots as NaN temperature and zero energy', () => {
    const recorder = new PremisesMetersRecorder(START_MS, 3, 1);
    recorder.record(report(0, [4], [4]), weatherAt(0), [0]);
    const meters = recorder.finish();
    expect(Array.from(meters.netLoadKwh)).toEqual([1, 0, 0]);
    expect(meters.outdoorTempF[0]).toBe(32);
    expect(meters.outdoorTempF[1]).toBeNaN();
  });
});
