import { TeError } from './errors.js';

export const MS_PER_MINUTE = 60_000;
export const MS_PER_HOUR = 3_600_000;
export const MS_PER_DAY = 86_400_000;

/** A market slot: the half-open interval [startMs, endMs) in epoch milliseconds. */
export interface TimeSlot {
  readonly startMs: number;
  readonly endMs: number;
}

export function slotDurationHours(slot: TimeSlot): number {
  return (slot.endMs - slot.startMs) / MS_PER_HOUR;
}

/** The slots of `periodMs` that tile [startMs, endMs); both ends must fall on slot boundaries. */
export function slotsBetween(startMs: number, endMs: number, periodMs: number): TimeSlot[] {
  if (!Number.isInteger(periodMs) || periodMs <= 0) {
    throw new TeError(
      'TE_ERR_SLOT_MISALIGNED',
      `market period must be a positive whole number of ms, got ${periodMs}`,
    );
  }
  if ((endMs - startMs) % periodMs !== 0) {
    throw new TeError('TE_ERR_SLOT_MISALIGNED', 'the horizon is not a whole number of market periods', {
      hint: 'choose start and end so that end - start is a multiple of the market period',
    });
  }
  const slots: TimeSlot[] = [];
  for (let t = startMs; t < endMs; t += periodMs) slots.push({ startMs: t, endMs: t + periodMs });
  return slots;
}

/** ISO 8601 with an explicit offset, for the edges (reports, CSV, API). */
export function toIsoWithOffset(timeMs: number, offsetMinutes: number): string {
  const shifted = new Date(timeMs + offsetMinutes * MS_PER_MINUTE);
  const base = shifted.toISOString().slice(0, 19);
  if (offsetMinutes === 0) return `${base}Z`;
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${base}${sign}${hh}:${mm}`;
}
