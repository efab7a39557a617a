/**
 * Market power as a regulator screens it: how concentrated the energy sold in the market is. Each
 * premises that sold is one seller, the wholesale supplier (everything bought through the substation) is
 * one seller, and so is the engine's offer of unresponsive net generation when there is one.
 */

export interface SellerConcentration {
  /** Energy sold by the largest seller (premises or not) over all energy sold, 0..1. */
  readonly largestSellerShare: number;
  /** Energy sold by the largest premises over all energy sold, 0..1 (0 when no premises sold). */
  readonly largestLocalSellerShare: number;
  /** Herfindahl–Hirschman index: Σ over sellers of (share × 100)², 0..10 000. */
  readonly hhi: number;
}

/**
 * Concentration of the energy sold. `premisesSoldKwh` has one entry per premises (0 for those that did not
 * sell); `otherSellersSoldKwh` lists the sellers that are not premises (the supplier, ...). NaN everywhere
 * when nothing was sold.
 */
export function sellerConcentration(
  premisesSoldKwh: ArrayLike<number>,
  otherSellersSoldKwh: readonly number[],
): SellerConcentration {
  let totalKwh = 0;
  let largestLocalKwh = 0;
  for (let p = 0; p < premisesSoldKwh.length; p++) {
    const soldKwh = premisesSoldKwh[p] ?? 0;
    totalKwh += soldKwh;
    if (soldKwh > largestLocalKwh) largestLocalKwh = soldKwh;
  }
  let largestKwh = largestLocalKwh;
  for (const soldKwh of otherSellersSoldKwh) {
    totalKwh += soldKwh;
    if (soldKwh > largestKwh) largestKwh = soldKwh;
  }
  if (!(totalKwh > 0)) {
    return { largestSellerShare: Number.NaN, largestLocalSellerShare: Number.NaN, hhi: Number.NaN };
  }
  let sumOfSquaredShares = 0;
  for (let p = 0; p < premisesSoldKwh.length; p++)
    sumOfSquaredShares += ((premisesSoldKwh[p] ?? 0) / totalKwh) ** 2;
  for (const soldKwh of otherSellersSoldKwh) sumOfSquaredShares += (soldKwh / totalKwh) ** 2;
  return {
    largestSellerShare: largestKwh / totalKwh,
    largestLocalSellerShare: largestLocalKwh / totalKwh,
    hhi: sumOfSquaredShares * 10_000,
  };
}
