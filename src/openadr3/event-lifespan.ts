/**
 * When an event ends, for the `active` search filter ("ignore events that have transpired"), following
 * User Guide 7.3 and 7.4: the event's intervalPeriod gives the default start and duration of its
 * intervals; an interval's own intervalPeriod overrides them; an interval without a start follows the
 * previous one; the event's `duration`, when given, sets the span from the first start instead (P9999Y is
 * 'forever'). Sub-intervals (several values in a payload) share their interval's span and change nothing.
 * Undefined means the event never ends or its times cannot be told (no start anywhere, no duration): such
 * an event stays active.
 */
import type { Interval, IntervalPeriod } from './schemas/common.js';
import { BEGINNING_OF_TIME_DATE_TIME } from './known-properties.js';

const DURATION =
  /^(-?)P(?=\d|T\d)(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)([DW]))?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/;

/** Years that mean 'forever' in practice: P9999Y is the spec's infinity. */
const FOREVER_YEARS = 9999;
/** The largest time a JS Date holds (±8.64e15 ms); an end beyond it never comes. */
const MAX_DATE_MS = 8.64e15;

export interface EventTimes {
  readonly intervalPeriod?: IntervalPeriod | undefined;
  readonly intervals?: readonly Interval[] | undefined;
  readonly duration?: string | undefined;
}

/** Epoch ms at which the event's last interval ends; undefined when it never ends or is unknown. */
export function eventEndMs(event: EventTimes): number | undefined {
  const intervals = event.intervals ?? [];
  const defaults = event.intervalPeriod;
  const firstStart = firstStartMs(event);
  if (event.duration !== undefined) {
    return firstStart === undefined ? undefined : addDuration(firstStart, event.duration);
  }
  if (intervals.length === 0) {
    const duration = defaults?.duration;
    return firstStart === undefined || duration === undefined ? undefined : addDuration(firstStart, duration);
  }
  let previousEnd: number | undefined;
  let end = -Infinity;
  for (const [index, interval] of intervals.entries()) {
    const start = index === 0 ? firstStart : (ownStartMs(interval.intervalPeriod) ?? previousEnd);
    const duration = interval.intervalPeriod?.duration ?? defaults?.duration;
    if (start === undefined || duration === undefined) return undefined;
    const intervalEnd = addDuration(start, duration);
    if (intervalEnd === undefined) return undefined;
    previousEnd = intervalEnd;
    end = Math.max(end, intervalEnd);
  }
  return end;
}

/**
 * The first interval's own start, else the event's; a 'beginning of time' start on the first interval
 * defers to the event's and, without one, is taken literally (a 'do it now' event then lasts as long as
 * its duration reaches past today: P9999Y).
 */
function firstStartMs(event: EventTimes): number | undefined {
  const first = event.intervals?.[0]?.intervalPeriod;
  const eventStart = event.intervalPeriod?.start;
  return (
    ownStartMs(first) ??
    (eventStart === undefined ? undefined : parseStart(eventStart)) ??
    (first?.start === undefined ? undefined : parseStart(first.start))
  );
}

/** An interval's own start; 'beginning of time' means 'right after the previous interval' there. */
function ownStartMs(period: IntervalPeriod | undefined): number | undefined {
  const start = period?.start;
  return start === undefined || start.startsWith('0001-01-01') ? undefined : parseStart(start);
}

function parseStart(start: string): number | undefined {
  const ms = Date.parse(start.startsWith('0001-01-01') ? BEGINNING_OF_TIME_DATE_TIME : start);
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * `startMs` plus an ISO 8601 duration in UTC calendar arithmetic (years and months by the calendar);
 * undefined when the result is 'forever' (P9999Y or more, or beyond what a Date can hold). Negative
 * durations count as zero: an interval cannot end before it starts.
 */
export function addDuration(startMs: number, duration: string): number | undefined {
  const m = DURATION.exec(duration);
  if (m === null) return undefined;
  const n = (k: number) => Number(m[k] ?? 0);
  if (m[1] === '-') return startMs;
  const years = n(2);
  if (years >= FOREVER_YEARS) return undefined;
  const days = m[5] === 'W' ? n(4) * 7 : n(4);
  const date = new Date(startMs);
  date.setUTCFullYear(date.getUTCFullYear() + years, date.getUTCMonth() + n(3), date.getUTCDate() + days);
  const ms = date.getTime() + ((n(6) * 60 + n(7)) * 60 + n(8)) * 1000;
  return Number.isFinite(ms) && Math.abs(ms) <= MAX_DATE_MS ? Math.round(ms) : undefined;
}
