/**
 * Measurement and verification: customer baselines (CAISO 10-in-10 with a capped day-of adjustment,
 * weather regression, the simulated counterfactual) and the flexibility delivered against them,
 * delivered = baseline − metered, per customer and in aggregate, per event and per slot. Because a
 * simulation knows the counterfactual (the same homes without the market), each field baseline's accuracy
 * is measured against it: what evaluators cannot do in a real pilot.
 */
import { MS_PER_HOUR } from '../../core/time.js';
import type { PremisesMeters } from '../results.js';
import { caiso10In10, type Caiso10In10Options } from './caiso-10-in-10.js';
import type { EventWindow, LocalCalendar } from './event-windows.js';
import { baselineAccuracy, type BaselineAccuracy } from './measurement-accuracy.js';
import { joinMeters } from './pre-period.js';
import {
  fitWeatherRegression,
  predictWeatherRegression,
  type WeatherRegressionOptions,
} from './weather-regression.js';

export type BaselineMethod = 'counterfactual' | 'caiso-10-in-10' | 'weather-regression';
export const BASELINE_METHODS: readonly BaselineMethod[] = [
  'counterfactual',
  'caiso-10-in-10',
  'weather-regression',
];

/** The hours an event touches, on the horizon's meter timeline, with the share of each inside it. */
export interface EventHours {
  readonly firstHour: number;
  readonly hours: number;
  readonly weight: Float64Array;
}

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
function slice(meters: PremisesMeters, event: EventHours): Float64Array {
  const out = new Float64Array(meters.premises * event.hours);
  for (let p = 0; p < meters.premises; p++) {
    for (let k = 0; k < event.hours; k++) {
      out[p * event.hours + k] = meters.netLoadKwh[p * meters.hours + event.firstHour + k] ?? 0;
    }
  }
  return out;
}

interface EventBaseline {
  readonly hourlyKwh: Float64Array;
  /** Per-slot baseline, kW, when the method knows it finer than the hour (the counterfactual). */
  readonly slotKw?: Float64Array;
  readonly aggregateMeterBaselineKwh?: number;
  readonly notes: readonly string[];
}

function measureEvent(
  inputs: MeasurementInputs,
  window: EventWindow,
  event: EventHours,
  slotIndexes: readonly number[],
  baseline: EventBaseline,
): EventMeasurement {
  const premises = inputs.metered.premises;
  const metered = slice(inputs.metered, event);
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

type BaselineOf = (
  window: EventWindow,
  event: EventHours,
  slotIndexes: readonly number[],
) => EventBaseline | string;

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
    hourlyKwh: slice(inputs.counterfactual, event),
    slotKw: Float64Array.from(slots, (s) => inputs.counterfactualSlotLoadKw[s] ?? 0),
    notes: [],
  });
  const measureMethod = (
    method: BaselineMethod,
    baselineOf: BaselineOf,
    notes: readonly string[] = [],
  ): MethodMeasurement => {
    const measured: MethodEvent[] = windows.map((window, i) => {
      const baseline = baselineOf(window, events[i] as EventHours, slotIndexes[i] ?? []);
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
      notes,
    };
  };
  const counterfactual = measureMethod('counterfactual', counterfactualOf);
  const withAccuracy = (method: MethodMeasurement, baselines: (EventBaseline | null)[]): MethodMeasurement =>
    !method.available
      ? method
      : {
          ...method,
          accuracy: baselineAccuracy(
            baselines,
            events,
            windows.map((_w, i) => slice(inputs.counterfactual, events[i] as EventHours)),
            metered.premises,
          ),
        };

  const noHistory =
    'no pre-period: set evaluation.historyDays (the 10-in-10 and regression baselines need meter history)';
  const caisoBaselines: (EventBaseline | null)[] = [];
  const regressionBaselines: (EventBaseline | null)[] = [];
  let caiso: MethodMeasurement = { method: 'caiso-10-in-10', available: false, reason: noHistory };
  let regression: MethodMeasurement = { method: 'weather-regression', available: false, reason: noHistory };
  if (inputs.history !== undefined) {
    const joined = joinMeters(inputs.history, metered);
    const eventDayStartsMs = new Set(
      windows.flatMap((w) => [
        inputs.calendar.dayStartMs(w.startMs),
        inputs.calendar.dayStartMs(w.endMs - 1),
      ]),
    );
    caiso = measureMethod('caiso-10-in-10', (window, event) => {
      const result = caiso10In10({
        meters: joined,
        eventStartMs: window.startMs,
        eventEndMs: window.endMs,
        eventDayStartsMs,
        calendar: inputs.calendar,
        ...(inputs.caiso === undefined ? {} : { options: inputs.caiso }),
      });
      if (!result.available) {
        caisoBaselines.push(null);
        return result.reason;
      }
      if (
        result.eventHours !== event.hours ||
        result.firstHourMs !== metered.startMs + event.firstHour * MS_PER_HOUR
      ) {
        throw new Error('10-in-10 event hours disagree with the meter timeline');
      }
      let aggregateMeterBaselineKwh = 0;
      result.aggregateAdjustedKwh.forEach(
        (kwh, k) => (aggregateMeterBaselineKwh += (event.weight[k] ?? 0) * kwh),
      );
      const bound = (direction: number) => result.capBinding.filter((b) => b === direction).length;
      const baseline: EventBaseline = {
        hourlyKwh: result.adjustedKwh,
        aggregateMeterBaselineKwh,
        notes: [
          `${result.likeDaysMs.length} ${result.dayType} like days`,
          result.adjustmentNote ??
            `day-of adjustment: cap bound up for ${bound(1)}, down for ${bound(-1)} customers; ${result.unadjustedCustomers} unadjusted (baseline not positive); aggregate-meter ratio ${result.aggregateAdjustmentRatio.toFixed(3)}`,
        ],
      };
      caisoBaselines.push(baseline);
      return baseline;
    });
    caiso = withAccuracy(caiso, caisoBaselines);

    const hourOfDay = (meters: PremisesMeters, h: number) =>
      inputs.calendar.hourOfDay(meters.startMs + h * MS_PER_HOUR);
    const model = fitWeatherRegression(
      {
        premises: inputs.history.premises,
        hours: inputs.history.hours,
        loadKwh: inputs.history.netLoadKwh,
        tempF: inputs.history.outdoorTempF,
        hourOfDay: Int32Array.from({ length: inputs.history.hours }, (_, h) =>
          hourOfDay(inputs.history as PremisesMeters, h),
        ),
      },
      inputs.regression,
    );
    if (!model.available) {
      regression = { method: 'weather-regression', available: false, reason: model.reason };
    } else {
      regression = measureMethod(
        'weather-regression',
        (_window, event) => {
          const hours = Int32Array.from({ length: event.hours }, (_, k) =>
            hourOfDay(metered, event.firstHour + k),
          );
          const temps = metered.outdoorTempF.subarray(event.firstHour, event.firstHour + event.hours);
          const baseline: EventBaseline = {
            hourlyKwh: predictWeatherRegression(model, hours, temps),
            notes: [],
          };
          regressionBaselines.push(baseline);
          return baseline;
        },
        [
          `terms: 24 hour-of-day${model.degreeTerms.map((t) => ` + ${t.toUpperCase()}`).join('')} (base ${model.balancePointF} °F)`,
          `fitted on ${model.trainingHours} pre-period hours; aggregate R² ${Number.isFinite(model.aggregateRSquared) ? model.aggregateRSquared.toFixed(3) : 'n/a'}`,
        ],
      );
      regression = withAccuracy(regression, regressionBaselines);
    }
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
