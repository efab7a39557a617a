/**
 * Ticks of a time axis in the scenario's local time (meta.utcOffsetMinutes): on round local hours or
 * local midnights, labelled as a person reading a load curve expects ("14:00", "1 Jul").
 */
import { MS_PER_DAY, MS_PER_MINUTE } from '../../core/time.js';

export interface TimeTick {
  readonly ms: number;
  readonly label: string;
  /** The date under the first tick and wherever the day changes, for sub-daily ticks. */
  readonly subLabel?: string;
}

const STEP_MINUTES = [
  1,
  5,
  10,
  15,
  30,
  60,
  120,
  180,
  240,
  360,
  720,
  1440,
  2 * 1440,
  7 * 1440,
  14 * 1440,
  28 * 1440,
  56 * 1440,
  91 * 1440,
  182 * 1440,
  364 * 1440,
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export function timeTicks(
  startMs: number,
  endMs: number,
  utcOffsetMinutes: number,
  maxTicks: number,
): TimeTick[] {
  if (!Number.isFinite(startMs) || !Number.isFinite(endMs) || !(endMs > startMs)) return [];
  const offsetMs = utcOffsetMinutes * MS_PER_MINUTE;
  const stepMinutes =
    STEP_MINUTES.find((minutes) => (endMs - startMs) / (minutes * MS_PER_MINUTE) <= maxTicks) ??
    STEP_MINUTES[STEP_MINUTES.length - 1] ??
    1440;
  const stepMs = stepMinutes * MS_PER_MINUTE;
  const daily = stepMs >= MS_PER_DAY;
  const ticks: TimeTick[] = [];
  let previousDay = '';
  // Align in local time: a local midnight is a multiple of a day after shifting by the offset.
  for (
    let local = Math.ceil((startMs + offsetMs) / stepMs) * stepMs;
    local <= endMs + offsetMs;
    local += stepMs
  ) {
    const date = new Date(local);
    const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()] ?? ''}`;
    if (daily) {
      ticks.push({ ms: local - offsetMs, label: day });
      continue;
    }
    const time = `${pad2(date.getUTCHours())}:${pad2(date.getUTCMinutes())}`;
    ticks.push(
      day === previousDay
        ? { ms: local - offsetMs, label: time }
        : { ms: local - offsetMs, label: time, subLabel: day },
    );
    previousDay = day;
  }
  return ticks;
}

/** "UTC-07:00", "UTC+05:30", "UTC". */
export function formatUtcOffset(utcOffsetMinutes: number): string {
  if (utcOffsetMinutes === 0) return 'UTC';
  const sign = utcOffsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(utcOffsetMinutes);
  return `UTC${sign}${pad2(Math.floor(abs / 60))}:${pad2(abs % 60)}`;
}

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}
