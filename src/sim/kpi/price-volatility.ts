/**
 * How much the market price moves, what a regulator watches for scarcity pricing and gaming: the spread
 * of the slot prices around their mean, and how far the price jumps from one slot to the next.
 */

export interface PriceVolatility {
  /** Population standard deviation of the finite slot prices, currency per kWh. */
  readonly stdevPerKwh: number;
  /** Mean of |p(s) − p(s−1)| over consecutive slots that both have a price, currency per kWh. */
  readonly meanAbsChangePerKwh: number;
}

/** NaN where there are too few prices (none for the stdev, no consecutive pair for the change). */
export function priceVolatility(pricesPerKwh: ArrayLike<number>): PriceVolatility {
  let count = 0;
  let sum = 0;
  let changeSum = 0;
  let changes = 0;
  let previous = Number.NaN;
  for (let s = 0; s < pricesPerKwh.length; s++) {
    const price = pricesPerKwh[s] ?? Number.NaN;
    if (Number.isFinite(price)) {
      count++;
      sum += price;
      if (Number.isFinite(previous)) {
        changeSum += Math.abs(price - previous);
        changes++;
      }
    }
    previous = price;
  }
  if (count === 0) return { stdevPerKwh: Number.NaN, meanAbsChangePerKwh: Number.NaN };
  const mean = sum / count;
  let squares = 0;
  for (let s = 0; s < pricesPerKwh.length; s++) {
    const price = pricesPerKwh[s] ?? Number.NaN;
    if (Number.isFinite(price)) squares += (price - mean) ** 2;
  }
  return {
    stdevPerKwh: Math.sqrt(squares / count),
    meanAbsChangePerKwh: changes === 0 ? Number.NaN : changeSum / changes,
  };
}
