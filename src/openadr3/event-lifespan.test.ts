import { describe, expect, it } from 'vitest';
import { addDuration, eventEndMs } from './event-lifespan.js';

const T0 = Date.parse('2026-01-01T00:00:00Z');
const HOUR = 3_600_000;
const interval = (id: number, intervalPeriod?: { start?: string; duration?: string }) => ({
  id,
  payloads: [],
  ...(intervalPeriod === undefined ? {} : { intervalPeriod }),
});

describe('ISO 8601 durations', () => {
  it('add calendar years, months, weeks, days and clock time in UTC', () => {
    expect(addDuration(T0, 'PT1H30M')).toBe(T0 + 1.5 * HOUR);
    expect(addDuration(T0, 'P1D')).toBe(T0 + 24 * HOUR);
    expect(addDuration(T0, 'P2W')).toBe(T0 + 14 * 24 * HOUR);
    expect(addDuration(T0, 'P1M')).toBe(Date.parse('2026-02-01T00:00:00Z'));
    expect(addDuration(T0, 'P1Y')).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(addDuration(T0, 'PT0.5S')).toBe(T0 + 500);
  });

  it('treat P9999Y as forever, a negative duration as none, and refuse what is not a duration', () => {
    expect(addDuration(T0, 'P9999Y')).toBeUndefined();
    expect(addDuration(T0, '-PT1H')).toBe(T0);
    expect(addDuration(T0, 'PT')).toBeUndefined();
    expect(addDuration(T0, 'one hour')).toBeUndefined();
    expect(addDuration(8.64e15 - 1000, 'P1D')).toBeUndefined();
  });
});

describe('when an event ends (User Guide 7.3, 7.4)', () => {
  const period = { start: '2026-01-01T00:00:00Z', duration: 'PT1H' };

  it('runs contiguous intervals from the event default start and duration', () => {
    expect(eventEndMs({ intervalPeriod: period, intervals: [interval(0), interval(1), interval(2)] })).toBe(
      T0 + 3 * HOUR,
    );
  });

  it("lets an interval's own period override the default, and the next one follow it", () => {
    const intervals = [
      interval(0),
      interval(1, { duration: 'PT2H' }),
      interval(2),
      interval(3, { start: '2026-01-01T10:00:00Z' }),
    ];
    expect(eventEndMs({ intervalPeriod: period, intervals })).toBe(T0 + 11 * HOUR);
    const overlapping = [interval(0, { duration: 'PT5H' }), interval(1, { start: '2026-01-01T01:00:00Z' })];
    expect(eventEndMs({ intervalPeriod: period, intervals: overlapping })).toBe(T0 + 5 * HOUR);
  });

  it('takes the event duration from the first start when given, and P9999Y as forever', () => {
    expect(eventEndMs({ intervalPeriod: period, intervals: [interval(0)], duration: 'P7D' })).toBe(
      T0 + 7 * 24 * HOUR,
    );
    expect(
      eventEndMs({ intervalPeriod: period, intervals: [interval(0)], duration: 'P9999Y' }),
    ).toBeUndefined();
    expect(eventEndMs({ intervalPeriod: { start: period.start }, intervals: [], duration: 'PT1H' })).toBe(
      T0 + HOUR,
    );
  });

  it("reads a 'beginning of time' start literally for the first interval and as 'right after' for the others", () => {
    const doItNow = { start: '0001-01-01T00:00:00Z', duration: 'P9999Y' };
    expect(eventEndMs({ intervalPeriod: doItNow, intervals: [interval(0)] })).toBeUndefined();
    expect(
      eventEndMs({
        intervalPeriod: { start: '0001-01-01T00:00:00Z', duration: 'PT1H' },
        intervals: [interval(0)],
      }),
    ).toBe(Date.parse('0001-01-01T01:00:00Z'));
    const follow = [interval(0), interval(1, { start: '0001-01-01T00:00:00Z' })];
    expect(eventEndMs({ intervalPeriod: period, intervals: follow })).toBe(T0 + 2 * HOUR);
  });

  it('cannot tell (and keeps active) an event without a start or a duration', () => {
    expect(eventEndMs({})).toBeUndefined();
    expect(eventEndMs({ intervals: [interval(0)] })).toBeUndefined();
    expect(eventEndMs({ intervalPeriod: { start: period.start }, intervals: [interval(0)] })).toBeUndefined();
    expect(eventEndMs({ intervalPeriod: { duration: 'PT1H' }, intervals: [interval(0)] })).toBeUndefined();
    expect(eventEndMs({ intervalPeriod: period, intervals: [] })).toBe(T0 + HOUR);
  });
});
