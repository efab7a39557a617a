/**
 * The windows M&V evaluates: the scenario's demand response events, or, when it names none, the daily
 * peak window (`evaluation.peakWindow`, local time) of every simulated day. Also the local calendar the
 * baselines need (local day starts, weekdays), in the scenario's fixed UTC offset.
 */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE } from '../../core/time.js';
import type { Scenario } from '../scenario/parse-scenario.js';

export interface EventWindow {
  readonly startMs: number;
  readonly endMs: number;
  /** 'event': named in `evaluation.events`; 'peak-window': the daily peak window of a simulated day. */
  readonly source: 'event' | 'peak-window';
}

/** Local calendar arithmetic in a fixed UTC offset (the offset written in the scenario's start). */
export class LocalCalendar {
  private readonly offsetMs: number;

  constructor(utcOffsetMinutes: number) {
    this.offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  }

  /** Epoch ms of the local midnight that starts the day containing `timeMs`. */
  dayStartMs(timeMs: number): number {
    return Math.floor((timeMs + this.offsetMs) / MS_PER_DAY) * MS_PER_DAY - this.offsetMs;
  }

  /** Local day of the week, 0 = Sunday .. 6 = Saturday. */
  dayOfWeek(timeMs: number): number {
    return new Date(timeMs + this.offsetMs).getUTCDay();
  }

  /** Monday to Friday. No holiday calendar: a public holiday on a weekday counts as a weekday. */
  isWeekday(timeMs: number): boolean {
    const day = this.dayOfWeek(timeMs);
    return day !== 0 && day !== 6;
  }

  /** Local hour of the day, 0..23, of the hour starting at `timeMs`. */
  hourOfDay(timeMs: number): number {
    return Math.floor((timeMs - this.dayStartMs(timeMs)) / MS_PER_HOUR);
  }
}

export function eventWindows(
  scenario: Pick<Scenario, 'eventsMs' | 'startMs' | 'endMs' | 'utcOffsetMinutes' | 'evaluation'>,
): EventWindow[] {
  if (scenario.eventsMs.length > 0) {
    return scenario.eventsMs.map((event) => ({ ...event, source: 'event' as const }));
  }
  const calendar = new LocalCalendar(scenario.utcOffsetMinutes);
  const { startHour, endHour } = scenario.evaluation.peakWindow;
  if (endHour <= startHour) return [];
  const windows: EventWindow[] = [];
  for (let dayMs = calendar.dayStartMs(scenario.startMs); dayMs < scenario.endMs; dayMs += MS_PER_DAY) {
    // Only the part of a day's window inside the horizon is evaluated.
    const startMs = Math.max(dayMs + startHour * MS_PER_HOUR, scenario.startMs);
    const endMs = Math.min(dayMs + endHour * MS_PER_HOUR, scenario.endMs);
    if (endMs > startMs) windows.push({ startMs, endMs, source: 'peak-window' });
  }
  return windows;
}
