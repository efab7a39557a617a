/**
 * The per-home outcomes the treatment-control comparison works on, read from hourly meters as a field
 * evaluator would: each home's mean demand in the daily peak window (local time), and its bill.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import { LocalCalendar } from './event-windows.js';

export interface PeakWindow {
  /** First local hour of the window. */
  readonly startHour: number;
  /** Local hour the window ends, exclusive. */
  readonly endHour: number;
}

/** Indices of the meter hours whose local start hour falls in the peak window. */
export function peakWindowHours(
  meters: PremisesMeters,
  window: PeakWindow,
  utcOffsetMinutes: number,
): number[] {
  const calendar = new LocalCalendar(utcOffsetMinutes);
  const hours: number[] = [];
  for (let h = 0; h < meters.hours; h++) {
    const hourOfDay = calendar.hourOfDay(meters.startMs + h * MS_PER_HOUR);
    if (hourOfDay >= window.startHour && hourOfDay < window.endHour) hours.push(h);
  }
  return hours;
}

/**
 * Each home's mean net demand over the given meter hours, kW (an hour's kWh is its mean kW). Export
 * counts negative, as the meter sees it.
 */
export function meanDemandKw(meters: PremisesMeters, hours: readonly number[]): Float64Array {
  const means = new Float64Array(meters.premises).fill(Number.NaN);
  if (hours.length === 0) return means;
  for (let p = 0; p < meters.premises; p++) {
    let sumKwh = 0;
    for (const h of hours) sumKwh += meters.netLoadKwh[p * meters.hours + h] ?? 0;
    means[p] = sumKwh / hours.length;
  }
  return means;
}

/** Each home's net energy over all the meters' hours, kWh. */
export function totalEnergyKwh(meters: PremisesMeters): Float64Array {
  const totals = new Float64Array(meters.premises);
  for (let p = 0; p < meters.premises; p++) {
    let sumKwh = 0;
    for (let h = 0; h < meters.hours; h++) sumKwh += meters.netLoadKwh[p * meters.hours + h] ?? 0;
    totals[p] = sumKwh;
  }
  return totals;
}

/** The values of the homes a mask selects (mask[p] === flag), in home order. */
export function selectHomes(values: ArrayLike<number>, mask: Uint8Array, flag: 0 | 1): Float64Array {
  const selected: number[] = [];
  for (let p = 0; p < values.length; p++) if (mask[p] === flag) selected.push(values[p] as number);
  return Float64Array.from(selected);
}

/** Element-wise a − b. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  return Float64Array.from({ length: a.length }, (_, i) => (a[i] as number) - (b[i] as number));
}
