/**
 * The CAISO 10-in-10 customer load baseline, as CAISO's Business Practice Manual for Metering describes
 * its customer load baseline for demand response:
 * - like days: for a weekday event, the 10 most recent eligible weekdays; for a weekend event, the 4 most
 *   recent weekend days ("4-in-4"); eligible means not an event day, within a 45-day lookback window. With
 *   fewer than the minimum (5 weekdays, 4 weekend days) the baseline is unavailable here. (CAISO then fills
 *   up with event days; we would rather say "no baseline" than credit a customer against event days.)
 *   There is no holiday calendar: a holiday on a weekday counts as a weekday.
 * - the baseline of each event hour is the mean of the like days' load in the same hour;
 * - day-of (load point) adjustment: the ratio of the metered load to the baseline over the 3 hours that end
 *   1 hour before the event starts (hours −4, −3, −2 when the event starts on the hour), capped at ±20%,
 *   multiplies every event hour. A ratio is meaningless when the baseline of those hours is not positive
 *   (a PV home exporting): that customer is left unadjusted.
 * Computed per customer (how a settlement credits each one; the aggregate is their sum) and, for
 * comparison, on the aggregate meter directly (one ratio for the whole community).
 */
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import type { LocalCalendar } from './event-windows.js';

export interface Caiso10In10Options {
  readonly weekdayDays: number;
  readonly weekdayMinimumDays: number;
  readonly weekendDays: number;
  readonly weekendMinimumDays: number;
  readonly lookbackDays: number;
  /** The day-of adjustment ratio is kept within [1 − cap, 1 + cap]. */
  readonly adjustmentCap: number;
  readonly adjustmentHours: number;
  /** Hours between the adjustment window and the event start (so pre-event behaviour does not count). */
  readonly adjustmentGapHours: number;
}

export const CAISO_10_IN_10_DEFAULTS: Caiso10In10Options = {
  weekdayDays: 10,
  weekdayMinimumDays: 5,
  weekendDays: 4,
  weekendMinimumDays: 4,
  lookbackDays: 45,
  adjustmentCap: 0.2,
  adjustmentHours: 3,
  adjustmentGapHours: 1,
};

/** Hourly meter data on one contiguous timeline, premises-major (premises p, hour h at [p·hours + h]). */
export interface HourlyMeterData {
  readonly startMs: number;
  readonly hours: number;
  readonly premises: number;
  readonly netLoadKwh: ArrayLike<number>;
}

export interface Caiso10In10Request {
  readonly meters: HourlyMeterData;
  readonly eventStartMs: number;
  readonly eventEndMs: number;
  /** Local day starts of every day with an event: they are never like days. */
  readonly eventDayStartsMs: ReadonlySet<number>;
  readonly calendar: LocalCalendar;
  readonly options?: Partial<Caiso10In10Options>;
}

export type Caiso10In10Result =
  | {
      readonly available: true;
      readonly dayType: 'weekday' | 'weekend';
      /** Local day starts of the like days used, most recent first. */
      readonly likeDaysMs: readonly number[];
      /** Start of the first event hour; the baseline covers `eventHours` hours from it. */
      readonly firstHourMs: number;
      readonly eventHours: number;
      /** Mean of the like days, kWh per hour, premises-major (p · eventHours + k). */
      readonly unadjustedKwh: Float64Array;
      /** After each customer's capped day-of adjustment. */
      readonly adjustedKwh: Float64Array;
      /** Each customer's adjustment ratio after the cap (1 when not applied). */
      readonly adjustmentRatio: Float64Array;
      /** +1: the cap bound upwards, −1: downwards, 0: it did not bind. */
      readonly capBinding: Int8Array;
      /** Customers left unadjusted because the baseline of the adjustment hours was not positive. */
      readonly unadjustedCustomers: number;
      /** Why no customer was adjusted, when none was (no meter data before the event). */
      readonly adjustmentNote: string | null;
      /** The aggregate meter's own baseline with one community-wide capped ratio, kWh per hour. */
      readonly aggregateAdjustedKwh: Float64Array;
      readonly aggregateAdjustmentRatio: number;
    }
  | { readonly available: false; readonly reason: string };

function capRatio(ratio: number, cap: number): { ratio: number; binding: -1 | 0 | 1 } {
  if (ratio > 1 + cap) return { ratio: 1 + cap, binding: 1 };
  if (ratio < 1 - cap) return { ratio: 1 - cap, binding: -1 };
  return { ratio, binding: 0 };
}

export function caiso10In10(request: Caiso10In10Request): Caiso10In10Result {
  const options = { ...CAISO_10_IN_10_DEFAULTS, ...request.options };
  const { meters, calendar } = request;
  const { hours, premises, netLoadKwh } = meters;
  const firstHour = Math.floor((request.eventStartMs - meters.startMs) / MS_PER_HOUR);
  const endHour = Math.ceil((request.eventEndMs - meters.startMs) / MS_PER_HOUR);
  const eventHours = endHour - firstHour;
  const adjustFirst = firstHour - options.adjustmentGapHours - options.adjustmentHours;
  const weekday = calendar.isWeekday(request.eventStartMs);
  const wanted = weekday ? options.weekdayDays : options.weekendDays;
  const minimum = weekday ? options.weekdayMinimumDays : options.weekendMinimumDays;
  const eventDayMs = calendar.dayStartMs(request.eventStartMs);

  // Like days, most recent first: the same hours k days earlier must all be metered.
  const likeDaysMs: number[] = [];
  const shiftsH: number[] = [];
  for (let k = 1; k <= options.lookbackDays && likeDaysMs.length < wanted; k++) {
    const dayMs = eventDayMs - k * MS_PER_DAY;
    if (calendar.isWeekday(dayMs + MS_PER_HOUR) !== weekday) continue;
    if (request.eventDayStartsMs.has(dayMs)) continue;
    const shiftH = k * 24;
    if (Math.min(adjustFirst, firstHour) - shiftH < 0 || endHour - shiftH > hours) continue;
    likeDaysMs.push(dayMs);
    shiftsH.push(shiftH);
  }
  const dayType = weekday ? 'weekday' : 'weekend';
  if (likeDaysMs.length < minimum) {
    return {
      available: false,
      reason: `only ${likeDaysMs.length} eligible non-event ${dayType} days in the ${options.lookbackDays} days before the event (at least ${minimum} needed): simulate a longer pre-period (evaluation.historyDays)`,
    };
  }

  const meanOfLikeDays = (p: number, h: number): number => {
    let sum = 0;
    for (const shiftH of shiftsH) sum += netLoadKwh[p * hours + h - shiftH] ?? 0;
    return sum / shiftsH.length;
  };
  const unadjustedKwh = new Float64Array(premises * eventHours);
  const adjustedKwh = new Float64Array(premises * eventHours);
  const adjustmentRatio = new Float64Array(premises).fill(1);
  const capBinding = new Int8Array(premises);
  const aggregateUnadjusted = new Float64Array(eventHours);
  const canAdjust = adjustFirst >= 0;
  let unadjustedCustomers = 0;
  let aggregateActual = 0;
  let aggregateBaseline = 0;
  for (let p = 0; p < premises; p++) {
    for (let k = 0; k < eventHours; k++) {
      const kwh = meanOfLikeDays(p, firstHour + k);
      unadjustedKwh[p * eventHours + k] = kwh;
      aggregateUnadjusted[k] = (aggregateUnadjusted[k] ?? 0) + kwh;
    }
    let ratio = 1;
    if (canAdjust) {
      let actual = 0;
      let baseline = 0;
      for (let h = adjustFirst; h < adjustFirst + options.adjustmentHours; h++) {
        actual += netLoadKwh[p * hours + h] ?? 0;
        baseline += meanOfLikeDays(p, h);
      }
      aggregateActual += actual;
      aggregateBaseline += baseline;
      if (baseline > 1e-9) {
        const capped = capRatio(actual / baseline, options.adjustmentCap);
        ratio = capped.ratio;
        capBinding[p] = capped.binding;
      } else {
        unadjustedCustomers++;
      }
    }
    adjustmentRatio[p] = ratio;
    for (let k = 0; k < eventHours; k++) {
      adjustedKwh[p * eventHours + k] = ratio * (unadjustedKwh[p * eventHours + k] ?? 0);
    }
  }
  const aggregateAdjustmentRatio =
    canAdjust && aggregateBaseline > 1e-9
      ? capRatio(aggregateActual / aggregateBaseline, options.adjustmentCap).ratio
      : 1;
  return {
    available: true,
    dayType,
    likeDaysMs,
    firstHourMs: meters.startMs + firstHour * MS_PER_HOUR,
    eventHours,
    unadjustedKwh,
    adjustedKwh,
    adjustmentRatio,
    capBinding,
    unadjustedCustomers,
    adjustmentNote: canAdjust ? null : 'no meter data in the hours before the event: unadjusted',
    aggregateAdjustedKwh: aggregateUnadjusted.map((kwh) => kwh * aggregateAdjustmentRatio),
    aggregateAdjustmentRatio,
  };
}
