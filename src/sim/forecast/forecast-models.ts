/**
 * Hourly forecasts of each home's consumption and PV, issued at an hour for the hours after it.
 *
 * - perfect: the metered values themselves (an upper bound, and a check that the scoring gives 0 error).
 * - persistence: the same hour of the previous day, or of the same day last week once a week is known.
 * - seasonal-regression: consumption = mean + hour-of-day effect + cooling and heating degree terms
 *   (65 °F balance point) fitted per home by least squares on everything metered before the issue hour;
 *   PV = a per-home, per-hour-of-day gain × the hour's irradiance (through the origin: no sun, no PV).
 *
 * Every model but 'perfect' reads the meters only through KnownMeters, so a forecast cannot use what was
 * metered at or after its issue hour.
 */
import { KnownMeters, type MeterTimeline } from './meter-timeline.js';

export type ForecastModelName = 'perfect' | 'persistence' | 'seasonal-regression';

export interface HourlyForecast {
  /** Premises-major: premises p, k-th hour after the issue at [p * hours + k]. */
  readonly loadKwh: Float64Array;
  readonly pvKwh: Float64Array;
  readonly hours: number;
}

export interface Forecaster {
  /** Forecast of hours [issueHour, issueHour + hours) of every home. Issue hours must not decrease. */
  forecast(issueHour: number, hours: number): HourlyForecast;
}

export function createForecaster(model: ForecastModelName, timeline: MeterTimeline): Forecaster {
  if (model === 'perfect') return new PerfectForecaster(timeline);
  if (model === 'persistence') return new PersistenceForecaster(timeline);
  return new SeasonalRegressionForecaster(timeline);
}

function emptyForecast(premises: number, hours: number): HourlyForecast {
  return { loadKwh: new Float64Array(premises * hours), pvKwh: new Float64Array(premises * hours), hours };
}

class PerfectForecaster implements Forecaster {
  constructor(private readonly timeline: MeterTimeline) {}

  forecast(issueHour: number, hours: number): HourlyForecast {
    const { timeline } = this;
    const out = emptyForecast(timeline.premises, hours);
    for (let p = 0; p < timeline.premises; p++) {
      for (let k = 0; k < hours; k++) {
        const t = issueHour + k;
        if (t >= timeline.hours) continue;
        out.loadKwh[p * hours + k] = timeline.loadKwh[p * timeline.hours + t] ?? 0;
        out.pvKwh[p * hours + k] = timeline.pvKwh[p * timeline.hours + t] ?? 0;
      }
    }
    return out;
  }
}

const HOURS_PER_WEEK = 168;

class PersistenceForecaster implements Forecaster {
  constructor(private readonly timeline: MeterTimeline) {}

  forecast(issueHour: number, hours: number): HourlyForecast {
    const known = new KnownMeters(this.timeline, issueHour);
    const out = emptyForecast(this.timeline.premises, hours);
    for (let k = 0; k < hours; k++) {
      const source = persistenceSource(issueHour, issueHour + k);
      if (source === null) continue;
      for (let p = 0; p < this.timeline.premises; p++) {
        out.loadKwh[p * hours + k] = known.loadKwh(p, source);
        out.pvKwh[p * hours + k] = known.pvKwh(p, source);
      }
    }
    return out;
  }
}

/** The metered hour persistence copies for `target`: a week back once a week is known, else a day, else none. */
export function persistenceSource(issueHour: number, target: number): number | null {
  const lagHours = issueHour >= HOURS_PER_WEEK ? HOURS_PER_WEEK : 24;
  // Beyond 24 h ahead, step back whole days until the source hour is known.
  let source = target - lagHours;
  while (source >= issueHour) source -= 24;
  return source >= 0 ? source : null;
}

const BALANCE_POINT_F = 65;
/** Features: intercept, 24 hour-of-day indicators, cooling degrees, heating degrees. */
const FEATURES = 27;
const CDD = 25;
const HDD = 26;
/** Shrinks each hour's effect towards the mean (an hour never metered forecasts the mean). */
const HOUR_RIDGE = 0.01;
const TINY_RIDGE = 1e-9;

/** Per-home normal equations, grown one metered hour at a time (each row has 4 non-zero features). */
class SeasonalRegressionForecaster implements Forecaster {
  private readonly xtx: Float64Array;
  private readonly xty: Float64Array;
  private readonly pvCross: Float64Array;
  private readonly ghiSquares: Float64Array;
  private observed = 0;

  constructor(private readonly timeline: MeterTimeline) {
    const n = timeline.premises;
    this.xtx = new Float64Array(n * FEATURES * FEATURES);
    this.xty = new Float64Array(n * FEATURES);
    // Per home and hour of day (24), then the home's total in slot 24.
    this.pvCross = new Float64Array(n * 25);
    this.ghiSquares = new Float64Array(n * 25);
  }

  forecast(issueHour: number, hours: number): HourlyForecast {
    if (issueHour < this.observed) throw new RangeError('seasonal regression: issue hours must not decrease');
    const { timeline } = this;
    const known = new KnownMeters(timeline, issueHour);
    for (let h = this.observed; h < Math.min(issueHour, timeline.hours); h++) this.learn(known, h);
    this.observed = Math.max(this.observed, issueHour);
    const out = emptyForecast(timeline.premises, hours);
    const coefficients = new Float64Array(FEATURES);
    for (let p = 0; p < timeline.premises; p++) {
      const fitted = this.solve(p, coefficients);
      for (let k = 0; k < hours; k++) {
        const t = Math.min(issueHour + k, timeline.hours - 1);
        const hod = timeline.hourOfDay[t] ?? 0;
        const tempF = timeline.outdoorTempF[t] ?? BALANCE_POINT_F;
        const load = fitted
          ? (coefficients[0] ?? 0) +
            (coefficients[1 + hod] ?? 0) +
            (coefficients[CDD] ?? 0) * Math.max(0, tempF - BALANCE_POINT_F) +
            (coefficients[HDD] ?? 0) * Math.max(0, BALANCE_POINT_F - tempF)
          : 0;
        out.loadKwh[p * hours + k] = Math.max(0, load);
        out.pvKwh[p * hours + k] = this.pvGain(p, hod) * (timeline.ghiWm2[t] ?? 0);
      }
    }
    return out;
  }

  private learn(known: KnownMeters, hour: number): void {
    const { timeline } = this;
    const hod = timeline.hourOfDay[hour] ?? 0;
    const tempF = timeline.outdoorTempF[hour] ?? Number.NaN;
    const ghi = timeline.ghiWm2[hour] ?? 0;
    const columns = [0, 1 + hod, CDD, HDD];
    const values = Number.isFinite(tempF)
      ? [1, 1, Math.max(0, tempF - BALANCE_POINT_F), Math.max(0, BALANCE_POINT_F - tempF)]
      : null;
    for (let p = 0; p < timeline.premises; p++) {
      if (values !== null) {
        const load = known.loadKwh(p, hour);
        const base = p * FEATURES * FEATURES;
        for (let i = 0; i < 4; i++) {
          const ci = columns[i] ?? 0;
          const vi = values[i] ?? 0;
          this.xty[p * FEATURES + ci] = (this.xty[p * FEATURES + ci] ?? 0) + vi * load;
          for (let j = 0; j < 4; j++) {
            const at = base + ci * FEATURES + (columns[j] ?? 0);
            this.xtx[at] = (this.xtx[at] ?? 0) + vi * (values[j] ?? 0);
          }
        }
      }
      if (ghi > 0) {
        const pv = known.pvKwh(p, hour);
        for (const slot of [p * 25 + hod, p * 25 + 24]) {
          this.pvCross[slot] = (this.pvCross[slot] ?? 0) + pv * ghi;
          this.ghiSquares[slot] = (this.ghiSquares[slot] ?? 0) + ghi * ghi;
        }
      }
    }
  }

  /** Ridge least squares by Cholesky; false when the home has no metered hour yet. */
  private solve(premises: number, out: Float64Array): boolean {
    const base = premises * FEATURES * FEATURES;
    if (!((this.xtx[base] ?? 0) > 0)) return false;
    const a = Float64Array.from(this.xtx.subarray(base, base + FEATURES * FEATURES));
    for (let i = 0; i < FEATURES; i++) {
      a[i * FEATURES + i] = (a[i * FEATURES + i] ?? 0) + (i >= 1 && i <= 24 ? HOUR_RIDGE : TINY_RIDGE);
    }
    out.set(this.xty.subarray(premises * FEATURES, (premises + 1) * FEATURES));
    return choleskySolveInPlace(a, out, FEATURES);
  }

  private pvGain(premises: number, hod: number): number {
    const hourDen = this.ghiSquares[premises * 25 + hod] ?? 0;
    if (hourDen > 0) return (this.pvCross[premises * 25 + hod] ?? 0) / hourDen;
    const totalDen = this.ghiSquares[premises * 25 + 24] ?? 0;
    return totalDen > 0 ? (this.pvCross[premises * 25 + 24] ?? 0) / totalDen : 0;
  }
}

/** Solves A x = b for a symmetric positive definite A (row-major n×n, overwritten); b becomes x. */
export function choleskySolveInPlace(a: Float64Array, b: Float64Array, n: number): boolean {
  for (let j = 0; j < n; j++) {
    let diagonal = a[j * n + j] ?? 0;
    for (let k = 0; k < j; k++) diagonal -= (a[j * n + k] ?? 0) ** 2;
    if (!(diagonal > 0)) return false;
    const l = Math.sqrt(diagonal);
    a[j * n + j] = l;
    for (let i = j + 1; i < n; i++) {
      let sum = a[i * n + j] ?? 0;
      for (let k = 0; k < j; k++) sum -= (a[i * n + k] ?? 0) * (a[j * n + k] ?? 0);
      a[i * n + j] = sum / l;
    }
  }
  for (let i = 0; i < n; i++) {
    let sum = b[i] ?? 0;
    for (let k = 0; k < i; k++) sum -= (a[i * n + k] ?? 0) * (b[k] ?? 0);
    b[i] = sum / (a[i * n + i] ?? 1);
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = b[i] ?? 0;
    for (let k = i + 1; k < n; k++) sum -= (a[k * n + i] ?? 0) * (b[k] ?? 0);
    b[i] = sum / (a[i * n + i] ?? 1);
  }
  return true;
}
