/**
 * How close a field baseline (10-in-10, weather regression) comes to the truth a simulation knows: the
 * counterfactual, the same homes metered without the market. Compared over the event hours (each hour
 * weighted by its share inside the event), in aggregate and per customer.
 */
import type { EventHours } from './event-hours.js';

export interface ErrorDistribution {
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
  readonly meanAbsolute: number;
}

export interface BaselineAccuracy {
  readonly eventsCompared: number;
  /** Σ baseline − Σ counterfactual over the event hours, kWh (positive: the baseline over-credits). */
  readonly aggregateErrorKwh: number;
  /** The same relative to Σ counterfactual, %. */
  readonly aggregateBiasPercent: number;
  /** Σ over event hours of |aggregate baseline − aggregate counterfactual| / Σ counterfactual, %. */
  readonly aggregateAbsoluteErrorPercent: number;
  /**
   * Per customer: (Σ baseline − Σ counterfactual) / Σ counterfactual over the events, %. Only customers whose
   * counterfactual event energy is at least MIN_CUSTOMER_KWH (a net exporter's ratio is meaningless).
   */
  readonly customerErrorPercent: ErrorDistribution | null;
  readonly customersCompared: number;
}

export const MIN_CUSTOMER_KWH = 0.5;

/** Linear interpolation between order statistics (the "type 7" quantile). */
export function quantile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  const a = sorted[lower] ?? 0;
  return a + ((sorted[upper] ?? 0) - a) * (position - lower);
}

export function errorDistribution(values: readonly number[]): ErrorDistribution | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  let absolute = 0;
  for (const v of values) absolute += Math.abs(v) / values.length;
  return {
    p10: quantile(sorted, 0.1),
    median: quantile(sorted, 0.5),
    p90: quantile(sorted, 0.9),
    meanAbsolute: absolute,
  };
}

export function baselineAccuracy(
  baselines: readonly ({ readonly hourlyKwh: Float64Array } | null)[],
  events: readonly EventHours[],
  counterfactuals: readonly Float64Array[],
  premises: number,
): BaselineAccuracy {
  const customerBaseline = new Float64Array(premises);
  const customerTruth = new Float64Array(premises);
  let baselineKwh = 0;
  let truthKwh = 0;
  let absoluteKwh = 0;
  let compared = 0;
  baselines.forEach((baseline, i) => {
    const event = events[i];
    const truth = counterfactuals[i];
    if (baseline === null || event === undefined || truth === undefined) return;
    compared++;
    for (let k = 0; k < event.hours; k++) {
      const w = event.weight[k] ?? 0;
      let hourBaseline = 0;
      let hourTruth = 0;
      for (let p = 0; p < premises; p++) {
        const b = w * (baseline.hourlyKwh[p * event.hours + k] ?? 0);
        const c = w * (truth[p * event.hours + k] ?? 0);
        customerBaseline[p] = (customerBaseline[p] ?? 0) + b;
        customerTruth[p] = (customerTruth[p] ?? 0) + c;
        hourBaseline += b;
        hourTruth += c;
      }
      baselineKwh += hourBaseline;
      truthKwh += hourTruth;
      absoluteKwh += Math.abs(hourBaseline - hourTruth);
    }
  });
  const customerErrors: number[] = [];
  for (let p = 0; p < premises; p++) {
    const truth = customerTruth[p] ?? 0;
    if (truth >= MIN_CUSTOMER_KWH) customerErrors.push((100 * ((customerBaseline[p] ?? 0) - truth)) / truth);
  }
  return {
    eventsCompared: compared,
    aggregateErrorKwh: baselineKwh - truthKwh,
    aggregateBiasPercent: truthKwh > 0 ? (100 * (baselineKwh - truthKwh)) / truthKwh : Number.NaN,
    aggregateAbsoluteErrorPercent: truthKwh > 0 ? (100 * absoluteKwh) / truthKwh : Number.NaN,
    customerErrorPercent: errorDistribution(customerErrors),
    customersCompared: customerErrors.length,
  };
}
