/**
 * The hours an event touches on a meter timeline, each weighted by its share inside the event, and what a
 * baseline method gives for them.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import type { EventWindow } from './event-windows.js';

export interface EventHours {
  /** Index of the first hour on the horizon's meter timeline. */
  readonly firstHour: number;
  readonly hours: number;
  /** Share of each hour inside the event (1 for a whole hour). */
  readonly weight: Float64Array;
}

export function eventHours(window: EventWindow, meters: Pick<PremisesMeters, 'startMs'>): EventHours {
  const firstHour = Math.floor((window.startMs - meters.startMs) / MS_PER_HOUR);
  const endHour = Math.ceil((window.endMs - meters.startMs) / MS_PER_HOUR);
  const weight = new Float64Array(endHour - firstHour);
  for (let k = 0; k < weight.length; k++) {
    const hourStartMs = meters.startMs + (firstHour + k) * MS_PER_HOUR;
    const overlapMs =
      Math.min(window.endMs, hourStartMs + MS_PER_HOUR) - Math.max(window.startMs, hourStartMs);
    weight[k] = Math.max(0, overlapMs) / MS_PER_HOUR;
  }
  return { firstHour, hours: weight.length, weight };
}

/** Hourly kWh of each customer over an event's hours, premises-major (p · hours + k). */
export function sliceEventHours(meters: PremisesMeters, event: EventHours): Float64Array {
  const out = new Float64Array(meters.premises * event.hours);
  for (let p = 0; p < meters.premises; p++) {
    for (let k = 0; k < event.hours; k++) {
      out[p * event.hours + k] = meters.netLoadKwh[p * meters.hours + event.firstHour + k] ?? 0;
    }
  }
  return out;
}

/** A baseline method's answer for one event. */
export interface EventBaseline {
  /** Each customer's baseline in each event hour, kWh, premises-major. */
  readonly hourlyKwh: Float64Array;
  /** Aggregate baseline per event slot, kW, when the method knows it finer than the hour (counterfactual). */
  readonly slotKw?: Float64Array;
  /** The 10-in-10 on the aggregate meter with one community-wide ratio, kWh over the event. */
  readonly aggregateMeterBaselineKwh?: number;
  readonly notes: readonly string[];
}

/** An event's baseline, or why the method has none for it. */
export type BaselineOf = (
  window: EventWindow,
  event: EventHours,
  slotIndexes: readonly number[],
) => EventBaseline | string;
