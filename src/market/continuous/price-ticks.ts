/**
 * Prices on the continuous book's tick grid. Levels are keyed by integer ticks so that two orders at
 * "the same price" share a level even when their float prices differ in the last bit (0.29 / 1e-5 is
 * 28999.999999999996). A price off the grid is rounded the safe way for its owner: a buy down and a
 * sell up, so no order ever trades beyond its limit.
 */
import type { Side } from '../types.js';

/** One tick is 1e-5 currency per kWh (0.001 cent per kWh, 0.01 per MWh). */
export const DEFAULT_TICK_SIZE = 1e-5;

/** Distance from an integer (in ticks) still treated as on the grid: float noise, not a real price. */
const ON_GRID_TOLERANCE_TICKS = 1e-6;

export function priceToTicks(price: number, side: Side, tickSize: number): number {
  const ticks = price / tickSize;
  const nearest = Math.round(ticks);
  if (Math.abs(ticks - nearest) <= ON_GRID_TOLERANCE_TICKS) return nearest;
  return side === 'buy' ? Math.floor(ticks) : Math.ceil(ticks);
}

/**
 * Ticks per currency unit (100 000 for the default tick). Prices are ticks divided by it rather than
 * ticks times the tick: 11000 / 1e5 is exactly 0.11, while 11000 × 1e-5 is 0.11000000000000001.
 */
export function ticksPerUnit(tickSize: number): number {
  const perUnit = 1 / tickSize;
  const nearest = Math.round(perUnit);
  return Math.abs(perUnit - nearest) <= 1e-9 * perUnit ? nearest : perUnit;
}
