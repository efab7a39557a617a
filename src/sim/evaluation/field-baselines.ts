/**
 * The baselines a utility computes in the field from meter history, adapted to the M&V per event: the CAISO
 * 10-in-10 on the pre-period joined to the horizon, and the weather regression fitted on the pre-period.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import { caiso10In10, type Caiso10In10Options } from './caiso-10-in-10.js';
import type { BaselineOf, EventBaseline } from './event-hours.js';
import type { EventWindow, LocalCalendar } from './event-windows.js';
import { joinMeters } from './pre-period.js';
import {
  fitWeatherRegression,
  predictWeatherRegression,
  type WeatherRegressionOptions,
} from './weather-regression.js';

export interface FieldBaselineInputs {
  readonly windows: readonly EventWindow[];
  readonly calendar: LocalCalendar;
  readonly history: PremisesMeters;
  readonly metered: PremisesMeters;
}

export function caisoBaselineOf(
  inputs: FieldBaselineInputs,
  options: Partial<Caiso10In10Options> | undefined,
): BaselineOf {
  const { calendar, metered } = inputs;
  const joined = joinMeters(inputs.history, metered);
  const eventDayStartsMs = new Set(
    inputs.windows.flatMap((w) => [calendar.dayStartMs(w.startMs), calendar.dayStartMs(w.endMs - 1)]),
  );
  return (window, event) => {
    const result = caiso10In10({
      meters: joined,
      eventStartMs: window.startMs,
      eventEndMs: window.endMs,
      eventDayStartsMs,
      calendar,
      ...(options === undefined ? {} : { options }),
    });
    if (!result.available) return result.reason;
    if (
      result.eventHours !== event.hours ||
      result.firstHourMs !== metered.startMs + event.firstHour * MS_PER_HOUR
    ) {
      throw new Error('10-in-10 event hours disagree with the meter timeline');
    }
    let aggregateMeterBaselineKwh = 0;
    result.aggregateAdjustedKwh.forEach(
      (kwh, k) => (aggregateMeterBaselineKwh += (event.weight[k] ?? 0) * kwh),
    );
    const bound = (direction: number) => result.capBinding.filter((b) => b === direction).length;
    return {
      hourlyKwh: result.adjustedKwh,
      aggregateMeterBaselineKwh,
      notes: [
        `${result.likeDaysMs.length} ${result.dayType} like days`,
        result.adjustmentNote ??
          `day-of adjustment: cap bound up for ${bound(1)}, down for ${bound(-1)} customers; ${result.unadjustedCustomers} unadjusted (baseline not positive); aggregate-meter ratio ${result.aggregateAdjustmentRatio.toFixed(3)}`,
      ],
    };
  };
}

export function regressionBaselineOf(
  inputs: FieldBaselineInputs,
  options: Partial<WeatherRegressionOptions> | undefined,
): { readonly baselineOf: BaselineOf; readonly notes: readonly string[] } | { readonly reason: string } {
  const { history, metered, calendar } = inputs;
  const hourOfDay = (meters: PremisesMeters, h: number) =>
    calendar.hourOfDay(meters.startMs + h * MS_PER_HOUR);
  const model = fitWeatherRegression(
    {
      premises: history.premises,
      hours: history.hours,
      loadKwh: history.netLoadKwh,
      tempF: history.outdoorTempF,
      hourOfDay: Int32Array.from({ length: history.hours }, (_, h) => hourOfDay(history, h)),
    },
    options,
  );
  if (!model.available) return { reason: model.reason };
  const baselineOf: BaselineOf = (_window, event): EventBaseline => {
    const hours = Int32Array.from({ length: event.hours }, (_, k) => hourOfDay(metered, event.firstHour + k));
    const temps = metered.outdoorTempF.subarray(event.firstHour, event.firstHour + event.hours);
    return { hourlyKwh: predictWeatherRegression(model, hours, temps), notes: [] };
  };
  const rSquared = Number.isFinite(model.aggregateRSquared) ? model.aggregateRSquared.toFixed(3) : 'n/a';
  return {
    baselineOf,
    notes: [
      `terms: 24 hour-of-day${model.degreeTerms.map((t) => ` + ${t.toUpperCase()}`).join('')} (base ${model.balancePointF} °F)`,
      `fitted on ${model.trainingHours} pre-period hours; aggregate R² ${rSquared}`,
    ],
  };
}
