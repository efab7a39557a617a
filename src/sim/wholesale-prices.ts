/** What the agents are told of wholesale prices: the prior of the price statistics and the forecast. */
import type { TimeSlot } from '../core/time.js';
import type { SubstationSupplier } from '../der/substation-supplier.js';

/** The supplier's prices for the slots from `slot` on, over `horizonMs` (a perfect forecast). */
export function wholesaleForecast(supplier: SubstationSupplier, slot: TimeSlot, horizonMs: number): number[] {
  const periodMs = slot.endMs - slot.startMs;
  const prices: number[] = [];
  for (let t = slot.startMs; t < slot.startMs + horizonMs; t += periodMs) {
    prices.push(supplier.priceForSlot({ startMs: t, endMs: t + periodMs }));
  }
  return prices;
}

export function meanAndStdev(values: readonly number[]): { mean: number; stdev: number } {
  const mean = values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / Math.max(1, values.length);
  return { mean, stdev: Math.sqrt(variance) };
}
