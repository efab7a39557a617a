/**
 * Whole-second ISO 8601 durations for market slots and meter intervals (PT5M, PT1H, PT1H30M15S). The
 * market's slots are whole seconds long (MarketRulesSchema), so the exact forms are enough; calendar
 * units (years, months, days, weeks) are refused in a reading interval, where 'a month' has no fixed
 * number of milliseconds.
 */

const EXACT_DURATION = /^(-?)PT(?=\d)(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?$/;
const DAY_DURATION = /^(-?)P(\d+)D$/;

/** `PT5M` for 300,000 ms; fractions of a second are rounded to the millisecond. */
export function isoDurationOfMs(ms: number): string {
  if (!Number.isFinite(ms) || ms <= 0) throw new RangeError(`a slot duration must be positive, got ${ms}`);
  const totalMs = Math.round(ms);
  const hours = Math.floor(totalMs / 3_600_000);
  const minutes = Math.floor((totalMs % 3_600_000) / 60_000);
  const secondsMs = totalMs % 60_000;
  const seconds = secondsMs % 1000 === 0 ? String(secondsMs / 1000) : (secondsMs / 1000).toFixed(3);
  return `PT${hours > 0 ? `${hours}H` : ''}${minutes > 0 ? `${minutes}M` : ''}${secondsMs > 0 ? `${seconds}S` : ''}`;
}

/**
 * Milliseconds of an exact duration (hours, minutes, seconds, or whole days of 24 h); undefined for a
 * duration with calendar units or one that is not ISO 8601. Negative durations come back negative.
 */
export function msOfIsoDuration(duration: string): number | undefined {
  const day = DAY_DURATION.exec(duration);
  if (day !== null) return (day[1] === '-' ? -1 : 1) * Number(day[2]) * 86_400_000;
  const m = EXACT_DURATION.exec(duration);
  if (m === null) return undefined;
  const ms = ((Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0)) * 60 + Number(m[4] ?? 0)) * 1000;
  if (!Number.isFinite(ms)) return undefined;
  return (m[1] === '-' ? -1 : 1) * Math.round(ms);
}
