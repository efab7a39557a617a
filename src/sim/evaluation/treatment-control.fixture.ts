/** Synthetic meters and bills of four homes for the treatment-control tests (hand-computable). */
import type { PremisesMeters } from '../results.js';
import type { TreatmentControlInputs } from './treatment-control.js';

export const START_MS = Date.parse('2026-07-15T00:00:00-07:00');
const OFFSET_MINUTES = -420;

/** Meters of homes whose hourly load is `peakKw` in local hours 16..20 and 1 kW otherwise. */
export function meters(peakKw: readonly number[], hours = 24, startMs = START_MS): PremisesMeters {
  const netLoadKwh = new Float32Array(peakKw.length * hours);
  peakKw.forEach((kw, p) => {
    for (let h = 0; h < hours; h++) netLoadKwh[p * hours + h] = h % 24 >= 16 && h % 24 < 21 ? kw : 1;
  });
  return {
    startMs,
    hours,
    premises: peakKw.length,
    netLoadKwh,
    pvKwh: new Float32Array(peakKw.length * hours),
    outdoorTempF: new Float64Array(hours),
  };
}

/** Homes 0 and 1 treated, 2 and 3 control. */
export function inputs(overrides: Partial<TreatmentControlInputs> = {}): TreatmentControlInputs {
  return {
    control: Uint8Array.from([0, 0, 1, 1]),
    strata: Int32Array.from([1, 0, 1, 0]),
    market: meters([0.5, 1.5, 2, 3]),
    baseline: meters([1.5, 2, 2, 3]),
    marketBills: [10, 12, 20, 22],
    baselineBills: [14, 15, 20, 22],
    fixedTariffPerKwh: 0.1,
    peakWindow: { startHour: 16, endHour: 21 },
    utcOffsetMinutes: OFFSET_MINUTES,
    confidence: 0.95,
    bootstrapSeed: 1,
    ...overrides,
  };
}
