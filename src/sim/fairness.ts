/**
 * Fairness of a market design across homes: the Gini coefficient of each home's bill relative to what it
 * paid without the market. 0 when every bill changed in the same proportion; larger when some homes gained
 * much more than others. Homes with no baseline bill are left out (their ratio is undefined).
 */
export function billChangeGini(teBills: ArrayLike<number>, baselineBills: ArrayLike<number>): number {
  const ratios: number[] = [];
  for (let i = 0; i < teBills.length; i++) {
    const baseline = baselineBills[i] ?? 0;
    if (baseline > 0) ratios.push(Math.max(0, (teBills[i] ?? 0) / baseline));
  }
  const n = ratios.length;
  if (n === 0) return Number.NaN;
  ratios.sort((a, b) => a - b);
  let total = 0;
  let weighted = 0;
  ratios.forEach((ratio, i) => {
    total += ratio;
    weighted += (2 * (i + 1) - n - 1) * ratio;
  });
  return total === 0 ? 0 : weighted / (n * total);
}
