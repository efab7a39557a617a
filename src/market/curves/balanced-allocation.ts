/**
 * Turning each participant's own quantity at the cleared price into allocations that balance exactly.
 * Read from the curves, buyers and sellers agree only up to the interpolation (and, when the curves never
 * cross, not at all), so the rule is explicit: the longer side is scaled pro rata to the shorter side's
 * total, and every allocation is rounded to ALLOCATION_QUANTUM_KW. The quantum is a power of two, so
 * float64 sums of allocations are exact in any order, and the rounding remainder is handed out by largest
 * remainder (ties to the lower index): total bought === total sold, to the last bit.
 */

/** 2^-20 kW, about 1 mW: fine enough for any meter, coarse enough that sums stay exact up to 8 GW. */
export const ALLOCATION_QUANTUM_KW = 2 ** -20;

export interface BalancedAllocation {
  /** Per participant, kW: + bought (consumption), − sold (production). */
  readonly allocatedKw: Float64Array;
  /** Total bought = total sold, kW, exactly. */
  readonly tradedKw: number;
  /** Demand (+) or supply (−) the curves asked for at the price but the other side could not meet, kW. */
  readonly imbalanceKw: number;
}

export function balanceAllocations(netDemandKw: Float64Array): BalancedAllocation {
  const count = netDemandKw.length;
  let demandKw = 0;
  let supplyKw = 0;
  for (let i = 0; i < count; i++) {
    const v = netDemandKw[i] as number;
    if (v > 0) demandKw += v;
    else supplyKw -= v;
  }
  const buyersLong = demandKw > supplyKw;
  const shortSign = buyersLong ? -1 : 1;
  const allocatedKw = new Float64Array(count);
  // The short side is served as asked, rounded to the nearest quantum.
  let shortQuanta = 0;
  for (let i = 0; i < count; i++) {
    const v = netDemandKw[i] as number;
    if (Math.sign(v) !== shortSign) continue;
    const quanta = Math.round(Math.abs(v) / ALLOCATION_QUANTUM_KW);
    shortQuanta += quanta;
    allocatedKw[i] = shortSign * quanta * ALLOCATION_QUANTUM_KW;
  }
  // The long side shares exactly as many quanta, pro rata to what each asked for.
  const longTotalKw = buyersLong ? demandKw : supplyKw;
  const scale = longTotalKw > 0 ? shortQuanta / (longTotalKw / ALLOCATION_QUANTUM_KW) : 0;
  const longRows: number[] = [];
  const remainders: number[] = [];
  let given = 0;
  for (let i = 0; i < count; i++) {
    const v = netDemandKw[i] as number;
    if (v === 0 || Math.sign(v) === shortSign) continue;
    const exact = (Math.abs(v) / ALLOCATION_QUANTUM_KW) * scale;
    const quanta = Math.floor(exact);
    given += quanta;
    allocatedKw[i] = quanta;
    longRows.push(i);
    remainders.push(exact - quanta);
  }
  let left = shortQuanta - given;
  if (left > 0 && longRows.length > 0) {
    const order = longRows
      .map((_, j) => j)
      .sort((a, b) => (remainders[b] as number) - (remainders[a] as number) || a - b);
    for (let j = 0; left > 0; j = (j + 1) % order.length, left--) {
      const row = longRows[order[j] as number] as number;
      allocatedKw[row] = (allocatedKw[row] as number) + 1;
    }
  }
  // Only float noise can overshoot: take the excess back from the smallest remainders.
  if (left < 0) {
    const order = longRows
      .map((_, j) => j)
      .sort((a, b) => (remainders[a] as number) - (remainders[b] as number) || b - a);
    for (let j = 0; left < 0 && j < order.length; j++) {
      const row = longRows[order[j] as number] as number;
      const take = Math.min(allocatedKw[row] as number, -left);
      allocatedKw[row] = (allocatedKw[row] as number) - take;
      left += take;
    }
  }
  for (const row of longRows)
    allocatedKw[row] = -shortSign * (allocatedKw[row] as number) * ALLOCATION_QUANTUM_KW;
  const tradedKw = shortQuanta * ALLOCATION_QUANTUM_KW;
  return { allocatedKw, tradedKw, imbalanceKw: demandKw - supplyKw };
}
