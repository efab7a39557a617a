/**
 * A device's history as chart series: what it expected to pay, what it bid, what the slot cleared at
 * and its power against its bid quantity (why it acted); and, for thermal or storage devices, its
 * temperature or state of charge with the comfort band (where it stood when it acted).
 */
import type { TelemetrySample } from './fleet-contract';

export type Values = (number | null)[];

export interface PriceSeries {
  readonly timesMs: number[];
  readonly expectedPricePerKwh: Values;
  readonly bidPricePerKwh: Values;
  readonly clearingPricePerKwh: Values;
  readonly powerKw: Values;
  readonly bidQuantityKw: Values;
}

export interface ComfortSeries {
  readonly kind: 'temperature' | 'soc';
  readonly timesMs: number[];
  /** Indoor air, else tank temperature (°F); or state of charge (%). */
  readonly value: Values;
  readonly lowF: Values;
  readonly highF: Values;
  readonly setpointF: Values;
}

const valueOf = (v: number | undefined): number | null => (v === undefined || !Number.isFinite(v) ? null : v);

/** Samples in time order without repeats of one time (the API sends them so; this keeps charts safe). */
export function orderedSamples(samples: readonly TelemetrySample[]): TelemetrySample[] {
  const byTime = new Map<number, TelemetrySample>();
  for (const s of samples) byTime.set(s.timeMs, s);
  return [...byTime.values()].sort((a, b) => a.timeMs - b.timeMs);
}

/**
 * Prices hold for their slot: a device reports several samples a slot and names the prices in only
 * some of them, so each price is held until the next one (never before the first or past the last),
 * which also keeps sparse points from vanishing as one-point lines.
 */
export function priceSeries(samples: readonly TelemetrySample[]): PriceSeries {
  const ordered = orderedSamples(samples);
  return {
    timesMs: ordered.map((s) => s.timeMs),
    expectedPricePerKwh: holdForward(ordered.map((s) => valueOf(s.expectedPricePerKwh))),
    bidPricePerKwh: holdForward(ordered.map((s) => valueOf(s.bidPricePerKwh))),
    clearingPricePerKwh: holdForward(ordered.map((s) => valueOf(s.clearingPricePerKwh))),
    powerKw: ordered.map((s) => valueOf(s.powerKw)),
    bidQuantityKw: ordered.map((s) => valueOf(s.bidQuantityKw)),
  };
}

/** The comfort chart's series, or undefined for a device with neither temperatures nor a state of charge. */
export function comfortSeries(samples: readonly TelemetrySample[]): ComfortSeries | undefined {
  const ordered = orderedSamples(samples);
  const timesMs = ordered.map((s) => s.timeMs);
  const hasTemp = ordered.some((s) => s.indoorTempF !== undefined || s.tankTempF !== undefined);
  if (hasTemp) {
    return {
      kind: 'temperature',
      timesMs,
      value: ordered.map((s) => valueOf(s.indoorTempF ?? s.tankTempF)),
      lowF: ordered.map((s) => valueOf(s.comfortLowF)),
      highF: ordered.map((s) => valueOf(s.comfortHighF)),
      setpointF: ordered.map((s) => valueOf(s.setpointF)),
    };
  }
  if (ordered.some((s) => s.socPct !== undefined)) {
    const none = ordered.map(() => null);
    return {
      kind: 'soc',
      timesMs,
      value: ordered.map((s) => valueOf(s.socPct)),
      lowF: none,
      highF: none,
      setpointF: none,
    };
  }
  return undefined;
}

/** Each gap between two values filled with the earlier one; leading and trailing gaps stay empty. */
export function holdForward(values: Values): Values {
  const lastIndex = values.reduce<number>((last, v, i) => (v === null ? last : i), -1);
  let held: number | null = null;
  return values.map((v, i) => {
    if (v !== null) held = v;
    return i > lastIndex ? null : held;
  });
}

/** True when a series has at least one number to draw. */
export const hasValues = (values: Values): boolean => values.some((v) => v !== null);

/** The device id in a fleet path: '/fleet/home-7-hvac' → 'home-7-hvac'; '/fleet' → undefined. */
export function deviceIdOfPath(path: string): string | undefined {
  const segment = path.split('/')[2];
  if (segment === undefined || segment === '') return undefined;
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
