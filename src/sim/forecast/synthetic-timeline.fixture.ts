/** A synthetic meter timeline for the forecasting tests. */
import type { MeterTimeline } from './meter-timeline.js';

const startMs = Date.UTC(2026, 6, 1);

/** A timeline from per-home functions of the hour index; hour 0 is local midnight. */
export function syntheticTimeline(
  premises: number,
  hours: number,
  horizonStartHour: number,
  loadKwh: (p: number, h: number) => number,
  pvKwh: (p: number, h: number) => number,
  tempF: (h: number) => number,
  ghiWm2: (h: number) => number,
): MeterTimeline {
  const load = new Float64Array(premises * hours);
  const pv = new Float64Array(premises * hours);
  for (let p = 0; p < premises; p++) {
    for (let h = 0; h < hours; h++) {
      load[p * hours + h] = loadKwh(p, h);
      pv[p * hours + h] = pvKwh(p, h);
    }
  }
  return {
    startMs,
    hours,
    premises,
    loadKwh: load,
    pvKwh: pv,
    outdoorTempF: Float64Array.from({ length: hours }, (_, h) => tempF(h)),
    ghiWm2: Float64Array.from({ length: hours }, (_, h) => ghiWm2(h)),
    hourOfDay: Uint8Array.from({ length: hours }, (_, h) => h % 24),
    horizonStartHour,
  };
}
