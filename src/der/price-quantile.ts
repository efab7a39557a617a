/** Quantiles of forecast prices, for the storage and EV bidding strategies. */

/** The q-quantile (0..1) of `values` with linear interpolation between order statistics; NaN if empty. */
export function quantile(values: readonly number[], q: number, count: number = values.length): number {
  const n = Math.min(count, values.length);
  if (n === 0) return Number.NaN;
  const sorted = values.slice(0, n).sort((a, b) => a - b);
  const position = Math.min(1, Math.max(0, q)) * (n - 1);
  const lower = Math.floor(position);
  const a = sorted[lower] ?? Number.NaN;
  const b = sorted[Math.min(n - 1, lower + 1)] ?? a;
  return a + (b - a) * (position - lower);
}
