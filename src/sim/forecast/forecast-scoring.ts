/**
 * Runs a forecast model over the meter timeline the way it would run in operation: a rolling forecast
 * issued every hour for the next 24 hours, and the day-ahead forecast issued at each local midnight (and
 * at the start of the horizon) for the hours up to the next midnight. Scores every target hour of the
 * horizon per hour ahead (1..24) and for the day-ahead forecasts, and keeps the rolling forecasts of the
 * horizon when the strategies bid on them.
 */
import { createForecaster, type ForecastModelName } from './forecast-models.js';
import { ForecastScoreAccumulator, type ForecastScores } from './forecast-metrics.js';
import type { MeterTimeline } from './meter-timeline.js';

export const AHEAD_HOURS = 24;

export interface HorizonScores extends ForecastScores {
  /** The target hour ends this many hours after the issue (1 = the hour that starts at the issue). */
  readonly aheadHours: number;
}

export interface ModelScores {
  readonly model: ForecastModelName;
  /** Rolling forecasts, one entry per hour ahead, 1..24. */
  readonly byHorizon: readonly HorizonScores[];
  /** The forecasts issued at local midnight, over every hour of the horizon. */
  readonly dayAhead: ForecastScores;
}

/**
 * The rolling forecasts issued at every hour of the horizon. Issue i (0 = the horizon's first hour),
 * premises p, k-th hour after the issue at [(i * premises + p) * AHEAD_HOURS + k].
 */
export interface ForecastTable {
  readonly model: ForecastModelName;
  readonly issues: number;
  readonly premises: number;
  readonly loadKwh: Float32Array;
  readonly pvKwh: Float32Array;
  /** Per horizon hour, the horizon hour of the day-ahead issue that covers it. */
  readonly dayAheadIssue: Int32Array;
}

export function scoreModel(
  model: ForecastModelName,
  timeline: MeterTimeline,
  keepTable: boolean,
): { readonly scores: ModelScores; readonly table: ForecastTable | null } {
  const { premises, hours, horizonStartHour: h0 } = timeline;
  const issues = hours - h0;
  const forecaster = createForecaster(model, timeline);
  const byHorizon = Array.from({ length: AHEAD_HOURS }, () => new ForecastScoreAccumulator());
  const dayAhead = new ForecastScoreAccumulator();
  const dayAheadIssue = dayAheadIssues(timeline);
  const table = keepTable
    ? {
        model,
        issues,
        premises,
        loadKwh: new Float32Array(issues * premises * AHEAD_HOURS),
        pvKwh: new Float32Array(issues * premises * AHEAD_HOURS),
        dayAheadIssue,
      }
    : null;
  const hasPv = new Uint8Array(premises);
  for (let p = 0; p < premises; p++) {
    hasPv[p] = timeline.pvKwh.subarray(p * hours, (p + 1) * hours).some((kwh) => kwh > 0) ? 1 : 0;
  }
  const actualLoad = new Float64Array(premises);
  const actualPv = new Float64Array(premises);
  const forecastLoad = new Float64Array(premises);
  const forecastPv = new Float64Array(premises);
  for (let issue = Math.max(0, h0 - AHEAD_HOURS + 1); issue < hours; issue++) {
    const forecast = forecaster.forecast(issue, AHEAD_HOURS);
    for (let k = 0; k < AHEAD_HOURS; k++) {
      const target = issue + k;
      if (target < h0 || target >= hours) continue;
      for (let p = 0; p < premises; p++) {
        actualLoad[p] = timeline.loadKwh[p * hours + target] ?? 0;
        actualPv[p] = timeline.pvKwh[p * hours + target] ?? 0;
        forecastLoad[p] = forecast.loadKwh[p * AHEAD_HOURS + k] ?? 0;
        forecastPv[p] = forecast.pvKwh[p * AHEAD_HOURS + k] ?? 0;
      }
      byHorizon[k]?.addHour(forecastLoad, actualLoad, forecastPv, actualPv, hasPv);
      if (dayAheadIssue[target - h0] === issue - h0) {
        dayAhead.addHour(forecastLoad, actualLoad, forecastPv, actualPv, hasPv);
      }
    }
    if (table !== null && issue >= h0) {
      const at = (issue - h0) * premises * AHEAD_HOURS;
      table.loadKwh.set(forecast.loadKwh, at);
      table.pvKwh.set(forecast.pvKwh, at);
    }
  }
  return {
    scores: {
      model,
      byHorizon: byHorizon.map((scores, k) => ({ aheadHours: k + 1, ...scores.scores() })),
      dayAhead: dayAhead.scores(),
    },
    table,
  };
}

/** For each horizon hour, the horizon hour of the last day-ahead issue at or before it. */
function dayAheadIssues(timeline: MeterTimeline): Int32Array {
  const issues = timeline.hours - timeline.horizonStartHour;
  const out = new Int32Array(issues);
  let current = 0;
  for (let j = 0; j < issues; j++) {
    if (j > 0 && timeline.hourOfDay[timeline.horizonStartHour + j] === 0) current = j;
    out[j] = current;
  }
  return out;
}

/** Each home's day-ahead forecast of its net load (consumption − PV) per horizon hour: [p * issues + j]. */
export function dayAheadNetLoadKwh(table: ForecastTable): Float64Array {
  const { issues, premises } = table;
  const out = new Float64Array(premises * issues);
  for (let j = 0; j < issues; j++) {
    const issue = table.dayAheadIssue[j] ?? j;
    const k = j - issue;
    for (let p = 0; p < premises; p++) {
      const at = (issue * premises + p) * AHEAD_HOURS + k;
      out[p * issues + j] = (table.loadKwh[at] ?? 0) - (table.pvKwh[at] ?? 0);
    }
  }
  return out;
}

/** A home's rolling forecast issued at horizon hour `issue`: net load and PV of the next 24 hours. */
export function rollingForecast(
  table: ForecastTable,
  issue: number,
  premises: number,
): { readonly netLoadKwh: number[]; readonly pvKwh: number[] } | null {
  if (issue < 0 || issue >= table.issues || premises < 0 || premises >= table.premises) return null;
  const at = (issue * table.premises + premises) * AHEAD_HOURS;
  const pvKwh = Array.from(table.pvKwh.subarray(at, at + AHEAD_HOURS));
  const netLoadKwh = Array.from(
    table.loadKwh.subarray(at, at + AHEAD_HOURS),
    (load, k) => load - (pvKwh[k] ?? 0),
  );
  return { netLoadKwh, pvKwh };
}
