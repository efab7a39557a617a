/** The M&V result as JSON-safe data (no NaN, no typed arrays), for kpis.json and the dashboard. */
import { toIsoWithOffset } from '../../core/time.js';
import { jsonNumber, type JsonNumber } from '../report/json-number.js';
import { errorDistribution, type ErrorDistribution } from './measurement-accuracy.js';
import type { EventMeasurement, MeasurementAndVerification, MethodEvent } from './measurement.js';

export interface JsonDistribution {
  readonly p10: JsonNumber;
  readonly median: JsonNumber;
  readonly p90: JsonNumber;
}

export function jsonDistribution(distribution: ErrorDistribution | null): JsonDistribution | null {
  return distribution === null
    ? null
    : {
        p10: jsonNumber(distribution.p10),
        median: jsonNumber(distribution.median),
        p90: jsonNumber(distribution.p90),
      };
}

/** p10 / median / p90 of each customer's delivered energy in one event, kWh. */
export function customerDeliveredDistribution(event: EventMeasurement): ErrorDistribution | null {
  return errorDistribution(Array.from(event.perCustomerDeliveredKwh));
}

function eventJson(event: MethodEvent, slotStartMs: Float64Array, offsetMinutes: number) {
  if ('unavailable' in event) return { available: false, reason: event.unavailable };
  return {
    available: true,
    baselineKwh: jsonNumber(event.baselineKwh),
    meteredKwh: jsonNumber(event.meteredKwh),
    deliveredKwh: jsonNumber(event.deliveredKwh),
    deliveredMeanKw: jsonNumber(event.deliveredMeanKw),
    ...(event.aggregateMeterBaselineKwh === undefined
      ? {}
      : { aggregateMeterBaselineKwh: jsonNumber(event.aggregateMeterBaselineKwh) }),
    customerDeliveredKwh: jsonDistribution(customerDeliveredDistribution(event)),
    perSlot: Array.from(event.perSlotDeliveredKw, (kw, i) => ({
      start: toIsoWithOffset(slotStartMs[i] ?? 0, offsetMinutes),
      deliveredKw: jsonNumber(kw),
    })),
    notes: event.notes,
  };
}

export function measurementJson(measurement: MeasurementAndVerification, offsetMinutes: number): unknown {
  return {
    premises: measurement.premises,
    historyDays: measurement.historyDays,
    events: measurement.windows.map((window) => ({
      start: toIsoWithOffset(window.startMs, offsetMinutes),
      end: toIsoWithOffset(window.endMs, offsetMinutes),
      source: window.source,
    })),
    methods: measurement.methods.map((method) =>
      !method.available
        ? { method: method.method, available: false, reason: method.reason }
        : {
            method: method.method,
            available: true,
            deliveredKwh: jsonNumber(method.deliveredKwh),
            eventsCovered: method.eventsCovered,
            notes: method.notes,
            accuracy:
              method.accuracy === undefined
                ? null
                : {
                    eventsCompared: method.accuracy.eventsCompared,
                    aggregateErrorKwh: jsonNumber(method.accuracy.aggregateErrorKwh),
                    aggregateBiasPercent: jsonNumber(method.accuracy.aggregateBiasPercent),
                    aggregateAbsoluteErrorPercent: jsonNumber(method.accuracy.aggregateAbsoluteErrorPercent),
                    customerErrorPercent: jsonDistribution(method.accuracy.customerErrorPercent),
                    customerMeanAbsoluteErrorPercent: jsonNumber(
                      method.accuracy.customerErrorPercent?.meanAbsolute,
                    ),
                    customersCompared: method.accuracy.customersCompared,
                  },
            events: method.events.map((event, i) =>
              eventJson(event, measurement.eventSlotStartMs[i] ?? new Float64Array(0), offsetMinutes),
            ),
          },
    ),
  };
}
