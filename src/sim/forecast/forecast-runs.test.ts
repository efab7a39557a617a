import { describe, expect, it } from 'vitest';
import type { DayAheadPositions } from '../day-ahead-positions.js';
import type { PremisesMeters } from '../results.js';
import { imbalanceKwh, perfectForecastRunWanted } from './forecast-runs.js';

describe('imbalanceKwh', () => {
  it('sums |metered − position| over homes and hours, positions hour-major, meters premises-major', () => {
    const meters: PremisesMeters = {
      startMs: 0,
      hours: 2,
      premises: 2,
      // Home 0: 1.5 then 2 kWh; home 1: -1 (export) then 0.5.
      netLoadKwh: Float32Array.from([1.5, 2, -1, 0.5]),
      pvKwh: new Float32Array(4),
      outdoorTempF: new Float64Array(2),
    };
    const positions: DayAheadPositions = {
      // Hour 0: home 0 holds 1 kW, home 1 nothing; hour 1: 2.5 and 0.5 kW.
      positionKw: Float64Array.from([1, 0, 2.5, 0.5]),
      premises: 2,
      pricePerKwh: Float64Array.from([0.1, 0.1]),
      hours: 2,
      startMs: 0,
    };
    // |1.5 − 1| + |2 − 2.5| + |−1 − 0| + |0.5 − 0.5|
    expect(imbalanceKwh(meters, positions)).toBe(2);
  });
});

describe('perfectForecastRunWanted', () => {
  const spec = { model: 'persistence' as const, usedBy: ['battery' as const], costOfError: true };
  it('only when asked, with an imperfect model and a strategy on the forecasts', () => {
    expect(perfectForecastRunWanted(spec, false)).toBe(true);
    expect(perfectForecastRunWanted({ ...spec, costOfError: false }, false)).toBe(false);
    expect(perfectForecastRunWanted({ ...spec, model: 'perfect' }, false)).toBe(false);
    expect(perfectForecastRunWanted({ ...spec, usedBy: ['day-ahead-positions'] }, false)).toBe(false);
    expect(perfectForecastRunWanted({ ...spec, usedBy: ['day-ahead-positions'] }, true)).toBe(true);
    expect(perfectForecastRunWanted({ ...spec, usedBy: ['ev'] }, false)).toBe(true);
    expect(perfectForecastRunWanted(undefined, true)).toBe(false);
  });
});
