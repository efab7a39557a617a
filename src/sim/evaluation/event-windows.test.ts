import { describe, expect, it } from 'vitest';
import { MS_PER_HOUR } from '../../core/time.js';
import { defaultScenario } from '../test-scenario.fixture.js';
import { eventHours } from './event-hours.js';
import { eventWindows, LocalCalendar } from './event-windows.js';

const H = MS_PER_HOUR;

describe('event windows', () => {
  const base = defaultScenario(); // 2026-07-15T00:00-07:00, one day, peak window 16-21 local

  it('is the daily peak window of each simulated day in local time, clipped to the horizon', () => {
    const start = base.startMs + 18 * H; // 18:00 local on the 15th, for 30 hours
    const windows = eventWindows({ ...base, startMs: start, endMs: start + 30 * H });
    expect(windows).toEqual([
      { startMs: start, endMs: base.startMs + 21 * H, source: 'peak-window' },
      { startMs: base.startMs + 40 * H, endMs: base.startMs + 45 * H, source: 'peak-window' },
    ]);
  });

  it('is the scenario events when it names some', () => {
    const eventsMs = [{ startMs: base.startMs + 14 * H, endMs: base.startMs + 15.5 * H }];
    expect(eventWindows({ ...base, eventsMs })).toEqual([{ ...eventsMs[0], source: 'event' }]);
  });

  it('weights the hours an event touches by their share inside it', () => {
    const event = eventHours(
      { startMs: base.startMs + 16.5 * H, endMs: base.startMs + 18.25 * H, source: 'event' },
      { startMs: base.startMs },
    );
    expect(event.firstHour).toBe(16);
    expect(Array.from(event.weight)).toEqual([0.5, 1, 0.25]);
  });

  it('knows local days and weekdays in the fixed offset', () => {
    const calendar = new LocalCalendar(-420);
    // 2026-07-18 03:00 UTC is Friday 17 July, 20:00 local.
    const t = Date.UTC(2026, 6, 18, 3);
    expect(calendar.dayStartMs(t)).toBe(Date.parse('2026-07-17T00:00:00-07:00'));
    expect(calendar.dayOfWeek(t)).toBe(5);
    expect(calendar.isWeekday(t)).toBe(true);
    expect(calendar.isWeekday(t + 24 * H)).toBe(false);
    expect(calendar.hourOfDay(t)).toBe(20);
  });
});
