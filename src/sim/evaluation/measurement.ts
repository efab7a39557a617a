/**
 * Measurement and verification: customer baselines (CAISO 10-in-10 with a capped day-of adjustment,
 * weather regression, the simulated counterfactual) and the flexibility delivered against them,
 * delivered = baseline − metered, per customer and in aggregate, per event and per slot. Because a
 * simulation knows the counterfactual (the same homes without the market), each field baseline's accuracy
 * is measured against it: what evaluators cannot do in a real pilot.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import type { Caiso10In10Options } from './caiso-10-in-10.js';
import {
  eventHours,
  sliceEventHours,
  type BaselineOf,
  type EventBaseline,
  type EventHours,
} from './event-hours.js';
import type { EventWindow, LocalCalendar } from './event-windows.js';
import { caisoBaselineOf, regressionBaselineOf } from './field-baselines.js';
import { baselineAccuracy, type BaselineAccuracy } from './measurement-accuracy.js';
import type { WeatherRegressionOptions } from './weather-regression.js';

export type BaselineMethod = 'counterfactual' | 'caiso-10-in-10' | 'weather-regression';
export const BASELINE_METHODS: readonly BaselineMethod[] = [
  'counterfactual',
  'caiso-10-in-10',
  'weather-regression',
];

export interface EventMeasurement {
  readonly baselineKwh: number;
  readonly meteredKwh: number;
  readonly deliveredKwh: number;
  /** Delivered energy over the event's duration. */
  readonly deliveredMeanKw: number;
  /** Each customer's baseline − metered over the event, kWh. */
  readonly perCustomerDeliveredKwh: Float64Array;
  /** Aggregate baseline − metered in each of the event's slots, kW (an hour's baseline spread evenly). */
  readonly perSlotDeliveredKw: Float64Array;
  /** The 10-in-10 computed on the aggregate meter with one community-wide ratio, kWh. */
  readonly aggregateMeterBaselineKwh?: number;
  /** What the method did for this event (like days, adjustment, ...). */
  readonly notes: readonly string[];
}

export type MethodEvent = EventMeasurement | { readonly unavailable: string };

export type MethodMeasurement =
  | {
      readonly method: BaselineMethod;
      readonly available: true;
      /** One entry per event window, in order. */
      readonly events: readonly MethodEvent[];
      /** Over the events the method covers. */
      readonly deliveredKwh: number;
      readonly eventsCovered: number;
      /** Against the counterfactual; absent for the counterfactual itself. */
      readonly accuracy?: BaselineAccuracy;
      readonly notes: readonly string[];
    }
  | { readonly method: BaselineMethod; readonly available: false; readonly reason: string };

export interface MeasurementAndVerification {
  readonly windows: readonly EventWindow[];
  /** Start of each event's slots, epoch ms (the per-slot arrays follow them). */
  readonly eventSlotStartMs: readonly Float64Array[];
  readonly premises: number;
  readonly historyDays: number;
  readonly methods: readonly MethodMeasurement[];
}

export interface MeasurementInputs {
  readonly windows: readonly EventWindow[];
  readonly calendar: LocalCalendar;
  /** The market run's meters (what the utility meters during the pilot). */
  readonly metered: PremisesMeters;
  /** The same homes without the market. */
  readonly counterfactual: PremisesMeters;
  readonly history?: PremisesMeters;
  readonly slotStartMs: Float64Array;
  readonly marketPeriodMs: number;
  readonly meteredSlotLoadKw: Float64Array;
  readonly counterfactualSlotLoadKw: Float64Array;
  readonly caiso?: Partial<Caiso10In10Options>;
  readonly regression?: Partial<WeatherRegressionOptions>;
}

function measureEvent(
  inputs: MeasurementInputs,
  window: EventWindow,
  event: EventHours,
  slotIndexes: readonly number[],
  baseline: EventBaseline,
): EventMeasurement {
  const premises = inputs.metered.premises;
  const metered = sliceEventHours(inputs.metered, event);
  const perCustomerDeliveredKwh = new Float64Array(premises);
  const aggregateBaselineByHour = new Float64Array(event.hours);
  let baselineKwh = 0;
  let meteredKwh = 0;
  for (let p = 0; p < premises; p++) {
    let delivered = 0;
    for (let k = 0; k < event.hours; k++) {
      const w = event.weight[k] ?? 0;
      const b = baseline.hourlyKwh[p * event.hours + k] ?? 0;
      const m = metered[p * event.hours + k] ?? 0;
      baselineKwh += w * b;
      meteredKwh += w * m;
      delivered += w * (b - m);
      aggregateBaselineByHour[k] = (aggregateBaselineByHour[k] ?? 0) + b;
    }
    perCustomerDeliveredKwh[p] = delivered;
  }
  const perSlotDeliveredKw = Float64Array.from(slotIndexes, (s, i) => {
    const k =
      Math.floor(((inputs.slotStartMs[s] ?? 0) - inputs.metered.startMs) / MS_PER_HOUR) - event.firstHour;
    // An hour's baseline energy spread evenly over its slots is its mean power.
    const baselineKw = baseline.slotKw?.[i] ?? aggregateBaselineByHour[k] ?? 0;
    return baselineKw - (inputs.meteredSlotLoadKw[s] ?? 0);
  });
  const durationH = (window.endMs - window.startMs) / MS_PER_HOUR;
  return {
    baselineKwh,
    meteredKwh,
    deliveredKwh: baselineKwh - meteredKwh,
    deliveredMeanKw: (baselineKwh - meteredKwh) / durationH,
    perCustomerDeliveredKwh,
    perSlotDeliveredKw,
    ...(baseline.aggregateMeterBaselineKwh === undefined
      ? {}
      : { aggregateMeterBaselineKwh: baseline.aggregateMeterBaselineKwh }),
    notes: baseline.notes,
  };
}

export function measureAndVerify(inputs: MeasurementInputs): MeasurementAndVerification {
  const { windows, metered } = inputs;
  const events = windows.map((window) => eventHours(window, metered));
  const slotIndexes = windows.map((window) => {
    const indexes: number[] = [];
    inputs.slotStartMs.forEach((startMs, s) => {
      if (startMs >= window.startMs && startMs + inputs.marketPeriodMs <= window.endMs) indexes.push(s);
    });
    return indexes;
  });
  const counterfactualOf: BaselineOf = (_window, event, slots) => ({
    hourlyKwh: sliceEventHours(inputs.counterfactual, event),
    slotKw: Float64Array.from(slots, (s) => inputs.counterfactualSlotLoadKw[s] ?? 0),
    notes: [],
  });
  const truth = events.map((event) => sliceEventHours(inputs.counterfactual, event));
  /** `scored`: compare the method's baselines with the counterfactual over the events it covers. */
  const measureMethod = (
    method: BaselineMethod,
    baselineOf: BaselineOf,
    notes: readonly string[],
    scored: boolean,
  ): MethodMeasurement => {
    const baselines: (EventBaseline | null)[] = [];
    const measured: MethodEvent[] = windows.map((window, i) => {
      const baseline = baselineOf(window, events[i] as EventHours, slotIndexes[i] ?? []);
      baselines.push(typeof baseline === 'string' ? null : baseline);
      return typeof baseline === 'string'
        ? { unavailable: baseline }
        : measureEvent(inputs, window, events[i] as EventHours, slotIndexes[i] ?? [], baseline);
    });
    const covered = measured.filter((e): e is EventMeasurement => !('unavailable' in e));
    if (covered.length === 0) {
      const first = measured.find((e): e is { unavailable: string } => 'unavailable' in e);
      return { method, available: false, reason: first?.unavailable ?? 'no events to evaluate' };
    }
    return {
      method,
      available: true,
      events: measured,
      deliveredKwh: covered.reduce((sum, e) => sum + e.deliveredKwh, 0),
      eventsCovered: covered.length,
      ...(scored ? { accuracy: baselineAccuracy(baselines, events, truth, metered.premises) } : {}),
      notes,
    };
  };
  const counterfactual = measureMethod('counterfactual', counterfactualOf, [], false);
  const noHistory =
    'no pre-period: set evaluation.historyDays (the 10-in-10 and regression baselines need meter history)';
  let caiso: MethodMeasurement = { method: 'caiso-10-in-10', available: false, reason: noHistory };
  let regression: MethodMeasurement = { method: 'weather-regression', available: false, reason: noHistory };
  if (inputs.history !== undefined) {
    const field = { windows, calendar: inputs.calendar, history: inputs.history, metered };
    caiso = measureMethod('caiso-10-in-10', caisoBaselineOf(field, inputs.caiso), [], true);
    const fitted = regressionBaselineOf(field, inputs.regression);
    regression =
      'reason' in fitted
        ? { method: 'weather-regression', available: false, reason: fitted.reason }
        : measureMethod('weather-regression', fitted.baselineOf, fitted.notes, true);
  }
  return {
    windows,
    eventSlotStartMs: slotIndexes.map((indexes) =>
      Float64Array.from(indexes, (s) => inputs.slotStartMs[s] ?? 0),
    ),
    premises: metered.premises,
    historyDays: inputs.history === undefined ? 0 : inputs.history.hours / 24,
    methods: [counterfactual, caiso, regression],
  };
}
