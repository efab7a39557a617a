import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import { caiso10In10, type HourlyMeterData } from './caiso-10-in-10.js';
import { LocalCalendar } from './event-windows.js';

// 15 days from Monday 2026-07-06 00:00 UTC: days 0-4 and 7-11 and 14 are weekdays, 5-6 and 12-13 weekends.
const START_MS = Date.UTC(2026, 6, 6);
const DAYS = 15;
const HOURS = DAYS * 24;
const EVENT_DAY = 14; // Monday 2026-07-20
const EXCLUDED_EVENT_DAY = 9; // Wednesday 2026-07-15, an earlier event
const LIKE_WEEKDAYS = [0, 1, 2, 3, 4, 7, 8, 10, 11];
const calendar = new LocalCalendar(0);

/**
 * Three customers. On non-event days customer 0 uses 2 kWh every weekday hour, customer 1 uses d kWh on
 * day d, customer 2 uses 4 kWh; weekends 5 kWh. On the earlier event day everything is 100 (must not
 * count). On the event day the adjustment hours 12-14 read 3 (ratio 1.5, capped up to 1.2), 23/9 (half of
 * the baseline 46/9: capped down to 0.8) and 4.4 (ratio 1.1, inside the cap); hour 15, the gap hour, reads
 * 1000 and must not count.
 */
function syntheticMeters(): HourlyMeterData {
  const premises = 3;
  const netLoadKwh = new Float64Array(premises * HOURS);
  for (let d = 0; d < DAYS; d++) {
    const weekday = calendar.isWeekday(START_MS + d * MS_PER_DAY);
    for (let hour = 0; hour < 24; hour++) {
      const h = d * 24 + hour;
      const normal = weekday ? [2, d, 4] : [5, 5, 5];
      const values =
        d === EXCLUDED_EVENT_DAY
          ? [100, 100, 100]
          : d === EVENT_DAY && hour >= 12 && hour <= 14
            ? [3, 23 / 9, 4.4]
            : d === EVENT_DAY && hour === 15
              ? [1000, 1000, 1000]
              : normal;
      values.forEach((value, p) => (netLoadKwh[p * HOURS + h] = value));
    }
  }
  return { startMs: START_MS, hours: HOURS, premises, netLoadKwh };
}

const eventDays = new Set([START_MS + EXCLUDED_EVENT_DAY * MS_PER_DAY, START_MS + EVENT_DAY * MS_PER_DAY]);
const weekdayEvent = {
  meters: syntheticMeters(),
  eventStartMs: START_MS + EVENT_DAY * MS_PER_DAY + 16 * MS_PER_HOUR,
  eventEndMs: START_MS + EVENT_DAY * MS_PER_DAY + 20 * MS_PER_HOUR,
  eventDayStartsMs: eventDays,
  calendar,
};

describe('CAISO 10-in-10 baseline', () => {
  it('averages the eligible non-event weekdays, most recent first, and caps the day-of adjustment', () => {
    const result = caiso10In10(weekdayEvent);
    if (!result.available) throw new Error(result.reason);
    expect(result.dayType).toBe('weekday');
    // Nine weekdays are eligible (the earlier event day is not): fewer than 10, above the minimum of 5.
    expect(result.likeDaysMs).toEqual([...LIKE_WEEKDAYS].reverse().map((d) => START_MS + d * MS_PER_DAY));
    expect(result.eventHours).toBe(4);
    expect(result.firstHourMs).toBe(weekdayEvent.eventStartMs);
    const customer1Baseline = 46 / 9; // mean of the like days' numbers
    for (let k = 0; k < 4; k++) {
      expect(result.unadjustedKwh[0 * 4 + k]).toBeCloseTo(2, 12);
      expect(result.unadjustedKwh[1 * 4 + k]).toBeCloseTo(customer1Baseline, 12);
      expect(result.unadjustedKwh[2 * 4 + k]).toBeCloseTo(4, 12);
      expect(result.adjustedKwh[0 * 4 + k]).toBeCloseTo(2 * 1.2, 12);
      expect(result.adjustedKwh[1 * 4 + k]).toBeCloseTo(customer1Baseline * 0.8, 12);
      expect(result.adjustedKwh[2 * 4 + k]).toBeCloseTo(4.4, 12);
    }
    expect(Array.from(result.adjustmentRatio)).toEqual([1.2, 0.8, expect.closeTo(1.1, 12)]);
    expect(Array.from(result.capBinding)).toEqual([1, -1, 0]);
    expect(result.unadjustedCustomers).toBe(0);
    // One ratio on the aggregate meter: (3 + 23/9 + 4.4) / (2 + 46/9 + 4) = 0.896, inside the cap.
    const aggregateRatio = (3 + 23 / 9 + 4.4) / (2 + 46 / 9 + 4);
    expect(result.aggregateAdjustmentRatio).toBeCloseTo(aggregateRatio, 12);
    expect(result.aggregateAdjustedKwh[0]).toBeCloseTo(3 + 23 / 9 + 4.4, 12);
  });

  it('takes the cap as a parameter', () => {
    const result = caiso10In10({ ...weekdayEvent, options: { adjustmentCap: 0.6 } });
    if (!result.available) throw new Error(result.reason);
    expect(Array.from(result.adjustmentRatio)).toEqual([1.5, 0.5, expect.closeTo(1.1, 12)]);
    expect(Array.from(result.capBinding)).toEqual([0, 0, 0]);
  });

  it('is unavailable with a reason when too few like days are eligible', () => {
    const strict = caiso10In10({ ...weekdayEvent, options: { weekdayMinimumDays: 10 } });
    expect(strict).toEqual({ available: false, reason: expect.stringContaining('only 9 eligible') });
    // A 7-day lookback keeps days 7, 8, 10 and 11 only.
    const short = caiso10In10({ ...weekdayEvent, options: { lookbackDays: 7 } });
    expect(short).toEqual({ available: false, reason: expect.stringContaining('only 4 eligible') });
  });

  it('uses weekend days for a weekend event, 4-in-4', () => {
    const sunday = START_MS + 13 * MS_PER_DAY;
    const event = {
      ...weekdayEvent,
      eventStartMs: sunday + 16 * MS_PER_HOUR,
      eventEndMs: sunday + 18 * MS_PER_HOUR,
    };
    // Days 5, 6 and 12 precede it: three, one short of four.
    expect(caiso10In10(event)).toEqual({
      available: false,
      reason: expect.stringContaining('only 3 eligible non-event weekend days'),
    });
    const relaxed = caiso10In10({ ...event, options: { weekendMinimumDays: 3 } });
    if (!relaxed.available) throw new Error(relaxed.reason);
    expect(relaxed.dayType).toBe('weekend');
    expect(relaxed.likeDaysMs).toEqual([12, 6, 5].map((d) => START_MS + d * MS_PER_DAY));
    expect(relaxed.unadjustedKwh[0]).toBe(5);
  });

  it('leaves a customer unadjusted when the baseline of the adjustment hours is not positive', () => {
    const meters = syntheticMeters();
    const kwh = meters.netLoadKwh as Float64Array;
    // Customer 2 exports at midday on every like day: its adjustment-hour baseline is negative.
    for (const d of LIKE_WEEKDAYS) for (const hour of [12, 13, 14]) kwh[2 * HOURS + d * 24 + hour] = -1;
    const result = caiso10In10({ ...weekdayEvent, meters });
    if (!result.available) throw new Error(result.reason);
    expect(result.adjustmentRatio[2]).toBe(1);
    expect(result.unadjustedCustomers).toBe(1);
    expect(result.adjustedKwh[2 * 4]).toBeCloseTo(4, 12);
  });
});
