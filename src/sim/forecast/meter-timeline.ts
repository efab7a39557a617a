/**
 * What a forecaster works from: each home's hourly meter data (the pre-period, then the horizon as it is
 * metered) and the weather of every hour. Consumption is the meter's net energy plus the PV behind it, so
 * load and PV are forecast apart and the net load is their difference.
 *
 * The weather of a future hour is the TMY3 file's actual value: a perfect weather forecast. Real
 * day-ahead temperature forecasts miss by 1-3 °F and cloud cover far more, so the regression's scores
 * (PV above all) are better than a forecaster's in the field would be.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';

export interface MeterTimeline {
  readonly startMs: number;
  readonly hours: number;
  readonly premises: number;
  /** Consumption behind each meter (net + PV), kWh; premises-major: [p * hours + h]. */
  readonly loadKwh: Float64Array;
  readonly pvKwh: Float64Array;
  /** Outdoor temperature (°F) and global horizontal irradiance (W/m²) of each hour, the "weather forecast". */
  readonly outdoorTempF: Float64Array;
  readonly ghiWm2: Float64Array;
  /** Local hour of day (0..23) of each hour. */
  readonly hourOfDay: Uint8Array;
  /** Index of the first hour of the horizon (= the pre-period's length in hours). */
  readonly horizonStartHour: number;
}

/**
 * The pre-period followed by the horizon. The history is used only when it ends where the horizon starts.
 * `ghiAt` gives the irradiance at an instant (the middle of each hour is asked).
 */
export function meterTimeline(
  history: PremisesMeters | undefined,
  horizon: PremisesMeters,
  ghiAt: (timeMs: number) => number,
  utcOffsetMinutes: number,
): MeterTimeline {
  const usable =
    history !== undefined &&
    history.premises === horizon.premises &&
    history.startMs + history.hours * MS_PER_HOUR === horizon.startMs;
  const parts = usable ? [history, horizon] : [horizon];
  const premises = horizon.premises;
  const hours = parts.reduce((sum, part) => sum + part.hours, 0);
  const startMs = parts[0]?.startMs ?? horizon.startMs;
  const loadKwh = new Float64Array(premises * hours);
  const pvKwh = new Float64Array(premises * hours);
  const outdoorTempF = new Float64Array(hours);
  let offset = 0;
  for (const part of parts) {
    for (let p = 0; p < premises; p++) {
      for (let h = 0; h < part.hours; h++) {
        const pv = part.pvKwh[p * part.hours + h] ?? 0;
        pvKwh[p * hours + offset + h] = pv;
        loadKwh[p * hours + offset + h] = (part.netLoadKwh[p * part.hours + h] ?? 0) + pv;
      }
    }
    outdoorTempF.set(part.outdoorTempF, offset);
    offset += part.hours;
  }
  const ghiWm2 = new Float64Array(hours);
  const hourOfDay = new Uint8Array(hours);
  for (let h = 0; h < hours; h++) {
    const hourStartMs = startMs + h * MS_PER_HOUR;
    ghiWm2[h] = Math.max(0, ghiAt(hourStartMs + MS_PER_HOUR / 2));
    hourOfDay[h] = localHourOfDay(hourStartMs, utcOffsetMinutes);
  }
  return {
    startMs,
    hours,
    premises,
    loadKwh,
    pvKwh,
    outdoorTempF,
    ghiWm2,
    hourOfDay,
    horizonStartHour: usable ? history.hours : 0,
  };
}

export function localHourOfDay(timeMs: number, utcOffsetMinutes: number): number {
  const localHours = Math.floor((timeMs + utcOffsetMinutes * 60_000) / MS_PER_HOUR);
  return ((localHours % 24) + 24) % 24;
}

/**
 * The meters as known when a forecast is issued at hour `issueHour`: reading an hour at or after it is a
 * bug (a forecast that peeks at the future) and throws.
 */
export class KnownMeters {
  constructor(
    readonly timeline: MeterTimeline,
    readonly issueHour: number,
  ) {}

  loadKwh(premises: number, hour: number): number {
    this.check(hour);
    return this.timeline.loadKwh[premises * this.timeline.hours + hour] ?? 0;
  }

  pvKwh(premises: number, hour: number): number {
    this.check(hour);
    return this.timeline.pvKwh[premises * this.timeline.hours + hour] ?? 0;
  }

  private check(hour: number): void {
    if (hour >= this.issueHour || hour < 0) {
      throw new RangeError(`forecast issued at hour ${this.issueHour} read the meters of hour ${hour}`);
    }
  }
}
