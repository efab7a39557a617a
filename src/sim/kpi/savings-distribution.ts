/**
 * How the market's savings spread over customers: each home's saving is its bill without the market (the
 * baseline run, fixed tariff) minus its bill with it, over the same horizon, same homes, same weather.
 */

export interface SavingsDistribution {
  readonly homes: number;
  /** Percentiles of the per-home saving, currency (linear interpolation between order statistics). */
  readonly p10: number;
  readonly median: number;
  readonly p90: number;
  /** Share of homes whose bill with the market is higher than without it (0..1). */
  readonly worseOffShare: number;
  /**
   * Mean over homes of (market bill − baseline bill) / baseline bill × 100. Homes whose baseline bill is
   * not positive (net exporters) have no relative change and are left out; NaN when none is left.
   */
  readonly meanBillChangePercent: number;
}

/**
 * The p-quantile (0..1) of values sorted ascending, interpolating linearly between the order statistics
 * at rank (n − 1)·p (Hyndman & Fan type 7, the default of R, NumPy and spreadsheet PERCENTILE.INC).
 */
export function quantileOfSorted(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const rank = (n - 1) * p;
  const lower = Math.floor(rank);
  const upper = Math.min(n - 1, lower + 1);
  const low = sorted[lower] ?? Number.NaN;
  return low + (rank - lower) * ((sorted[upper] ?? low) - low);
}

/** Null when there are no homes or the two runs' bills do not cover the same homes. */
export function savingsDistribution(
  baselineBills: ArrayLike<number>,
  marketBills: ArrayLike<number>,
): SavingsDistribution | null {
  const homes = baselineBills.length;
  if (homes === 0 || marketBills.length !== homes) return null;
  const savings = new Float64Array(homes);
  let worseOff = 0;
  let changeSum = 0;
  let changeHomes = 0;
  for (let i = 0; i < homes; i++) {
    const baseline = baselineBills[i] ?? 0;
    const market = marketBills[i] ?? 0;
    savings[i] = baseline - market;
    if (market > baseline) worseOff++;
    if (baseline > 0) {
      changeSum += ((market - baseline) / baseline) * 100;
      changeHomes++;
    }
  }
  savings.sort();
  return {
    homes,
    p10: quantileOfSorted(savings, 0.1),
    median: quantileOfSorted(savings, 0.5),
    p90: quantileOfSorted(savings, 0.9),
    worseOffShare: worseOff / homes,
    meanBillChangePercent: changeHomes === 0 ? Number.NaN : changeSum / changeHomes,
  };
}
