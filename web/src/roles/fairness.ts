/**
 * Fairness for the regulator, from anonymised meter readings and the slots' clearing prices only:
 * each pseudonymous meter's energy cost at the clearing price (imports paid, exports credited; fees
 * and distribution charges left out), the average price it paid per kWh imported, the Gini coefficient
 * of that price across meters, a histogram, and how much the price moved.
 */
import type { ReadingLike } from './meter-history';

export interface MeterCost {
  /** The pseudonymous id (HMAC of the meter id), never a participant id. */
  readonly pseudonym: string;
  readonly importedKwh: number;
  readonly exportedKwh: number;
  /** Imports at the slot's price minus exports at the slot's price, currency. */
  readonly netCost: number;
  /** Import-weighted average price paid, currency per kWh; undefined without imports. */
  readonly pricePaidPerKwh: number | undefined;
}

/** Each meter's cost over the readings whose interval start has a clearing price. */
export function meterCosts(
  readings: readonly ReadingLike[],
  priceBySlotMs: ReadonlyMap<number, number>,
): MeterCost[] {
  const byMeter = new Map<
    string,
    { importedWh: number; exportedWh: number; importCost: number; exportValue: number }
  >();
  for (const reading of readings) {
    const price = priceBySlotMs.get(reading.timeMs);
    if (price === undefined) continue;
    let meter = byMeter.get(reading.meterId);
    if (meter === undefined) {
      meter = { importedWh: 0, exportedWh: 0, importCost: 0, exportValue: 0 };
      byMeter.set(reading.meterId, meter);
    }
    if (reading.energyWh >= 0) {
      meter.importedWh += reading.energyWh;
      meter.importCost += (reading.energyWh / 1000) * price;
    } else {
      meter.exportedWh -= reading.energyWh;
      meter.exportValue += (-reading.energyWh / 1000) * price;
    }
  }
  return [...byMeter.entries()]
    .map(([pseudonym, m]) => ({
      pseudonym,
      importedKwh: m.importedWh / 1000,
      exportedKwh: m.exportedWh / 1000,
      netCost: m.importCost - m.exportValue,
      pricePaidPerKwh: m.importedWh > 0 ? m.importCost / (m.importedWh / 1000) : undefined,
    }))
    .sort((a, b) => (a.pseudonym < b.pseudonym ? -1 : 1));
}

/**
 * Gini coefficient of non-negative values: 0 when all are equal, towards 1 when one holds everything.
 * Undefined for fewer than two values, a negative value or a zero total (not meaningful there).
 */
export function gini(values: readonly number[]): number | undefined {
  if (values.length < 2 || values.some((v) => v < 0 || !Number.isFinite(v))) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const total = sorted.reduce((sum, v) => sum + v, 0);
  if (total <= 0) return undefined;
  const n = sorted.length;
  let weighted = 0;
  sorted.forEach((v, i) => (weighted += (i + 1) * v));
  return (2 * weighted) / (n * total) - (n + 1) / n;
}

export interface HistogramBin {
  readonly fromValue: number;
  readonly toValue: number;
  readonly count: number;
}

/** Equal-width bins from the minimum to the maximum; one bin when all values are equal. */
export function histogram(values: readonly number[], bins: number): HistogramBin[] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0 || bins < 1) return [];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (max === min) return [{ fromValue: min, toValue: max, count: finite.length }];
  const width = (max - min) / bins;
  const counts = new Array<number>(bins).fill(0);
  for (const v of finite) {
    const bin = Math.min(bins - 1, Math.floor((v - min) / width));
    counts[bin] = (counts[bin] ?? 0) + 1;
  }
  return counts.map((count, i) => ({ fromValue: min + i * width, toValue: min + (i + 1) * width, count }));
}

export interface PriceVolatility {
  readonly slots: number;
  readonly meanPerKwh: number;
  /** Population standard deviation of the slot prices. */
  readonly stdDevPerKwh: number;
  readonly minPerKwh: number;
  readonly maxPerKwh: number;
  /** Mean absolute change from one slot to the next. */
  readonly meanAbsChangePerKwh: number;
}

/** Prices in slot order. */
export function priceVolatility(prices: readonly number[]): PriceVolatility | undefined {
  if (prices.length === 0) return undefined;
  const mean = prices.reduce((s, p) => s + p, 0) / prices.length;
  const variance = prices.reduce((s, p) => s + (p - mean) ** 2, 0) / prices.length;
  let change = 0;
  for (let i = 1; i < prices.length; i += 1)
    change += Math.abs((prices[i] as number) - (prices[i - 1] as number));
  return {
    slots: prices.length,
    meanPerKwh: mean,
    stdDevPerKwh: Math.sqrt(variance),
    minPerKwh: Math.min(...prices),
    maxPerKwh: Math.max(...prices),
    meanAbsChangePerKwh: prices.length > 1 ? change / (prices.length - 1) : 0,
  };
}

/** A pseudonym short enough to read, long enough to tell meters apart. */
export function shortPseudonym(pseudonym: string): string {
  return pseudonym.slice(0, 10);
}
