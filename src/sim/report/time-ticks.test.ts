import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import { formatUtcOffset, timeTicks } from './time-ticks.js';

const NOON_TUCSON = Date.UTC(2024, 6, 1, 19, 0);

describe('timeTicks', () => {
  it('labels round local hours, with the date where the day changes', () => {
    const ticks = timeTicks(NOON_TUCSON, NOON_TUCSON + 12 * MS_PER_HOUR, -420, 9);
    expect(ticks.map((tick) => tick.label)).toEqual([
      '12:00',
      '14:00',
      '16:00',
      '18:00',
      '20:00',
      '22:00',
      '00:00',
    ]);
    expect(ticks[0]?.subLabel).toBe('1 Jul');
    expect(ticks[1]?.subLabel).toBeUndefined();
    expect(ticks[6]?.subLabel).toBe('2 Jul');
  });

  it('uses local midnights for long periods and nothing for empty ones', () => {
    const ticks = timeTicks(NOON_TUCSON, NOON_TUCSON + 7 * MS_PER_DAY, -420, 9);
    expect(ticks[0]?.label).toBe('2 Jul');
    expect(((ticks[0]?.ms ?? 0) - 420 * 60_000) % MS_PER_DAY).toBe(0);
    expect(timeTicks(NOON_TUCSON, NOON_TUCSON, 0, 9)).toEqual([]);
    expect(timeTicks(Number.NaN, NOON_TUCSON, 0, 9)).toEqual([]);
  });

  it('formats offsets', () => {
    expect(formatUtcOffset(-420)).toBe('UTC-07:00');
    expect(formatUtcOffset(330)).toBe('UTC+05:30');
    expect(formatUtcOffset(0)).toBe('UTC');
  });
});
