/**
 * A cleared slot's aggregated supply and demand curves, its clearing point, the marginal step and a
 * clearing type the same for every mechanism (docs/market-designs.md "What the curves show").
 *
 * The book is sorted by the auction's own merit order (sorted-curve.ts: supply by ascending price,
 * demand by descending, prices above the cap read as the cap), then steps at equal prices are merged
 * into one. A book with more distinct prices than `maxSteps` is drawn coarser: the price range of each
 * side is cut into `maxSteps` equal bands and each band becomes one step at its worst price (the
 * highest on the supply curve, the lowest on the demand curve), so the drawn curve never looks cheaper
 * to buy from or dearer to sell to than the book was. The marginal step is found on the exact curves.
 *
 * The stored clearing result does not record the step that set the price, so it is derived: the
 * traded quantity is the sum of the stored buy fills; the marginal step is the step priced exactly at a
 * uniform clearing price that was only partly taken; failing that, the one on the side the auction's
 * status names (marginal-seller, marginal-buyer); failing that, a step at the price that was taken at
 * all (supply first). A price between two steps (a midpoint) and discriminatory designs have none.
 */
import { mechanismNamed } from '../market/mechanism/mechanism-registry.js';
import { demandCurve, priceAt, quantityAt, supplyCurve, type SortedCurve } from '../market/sorted-curve.js';
import type { SlotBookSteps } from './slot-steps.js';

export interface CurveStep {
  readonly pricePerKwh: number;
  /** This step's own quantity (not cumulative), kW. */
  readonly quantityKw: number;
}

/** How the price was set; docs/market-designs.md lists the values. */
export const CLEARING_TYPES = [
  'crossing',
  'price-cap',
  'no-cross',
  'no-supply',
  'no-demand',
  'no-orders',
  'pay-as-bid',
  'bilateral',
  'continuous',
] as const;

export interface StoredClearing {
  readonly mechanism: string;
  readonly price: number;
  readonly status: string;
  /** Total bought, kW (the stored buy fills summed). */
  readonly tradedKw: number;
}

export interface SlotCurves {
  readonly supply: CurveStep[];
  readonly demand: CurveStep[];
  /** Distinct prices on each side before any coarsening. */
  readonly supplyLevels: number;
  readonly demandLevels: number;
  /** Width of the price bands when a side was coarsened (absent when every price is its own step). */
  readonly priceBandPerKwh?: number;
  readonly clearing: { readonly pricePerKwh: number; readonly quantityKw: number; readonly type: string };
  readonly marginal?: {
    readonly side: 'supply' | 'demand';
    readonly pricePerKwh: number;
    readonly quantityKw: number;
    /** How much of the step traded, kW. */
    readonly acceptedKw: number;
  };
}

const DISCRIMINATORY_TYPES: Readonly<Record<string, string>> = {
  'pay-as-bid': 'pay-as-bid',
  'p2p-bilateral': 'bilateral',
  'continuous-double-auction': 'continuous',
};

export function slotCurves(
  steps: SlotBookSteps,
  priceCap: number,
  result: StoredClearing,
  maxSteps: number,
): SlotCurves {
  const pick = (side: 'buy' | 'sell') => {
    const prices: number[] = [];
    const quantities: number[] = [];
    for (let i = 0; i < steps.count; i++) {
      const quantity = steps.quantity[i] as number;
      if (steps.side[i] !== side || !(quantity > 0)) continue;
      prices.push(steps.price[i] as number);
      quantities.push(quantity);
    }
    return [Float64Array.from(prices), Float64Array.from(quantities)] as const;
  };
  const supplyLevels = mergeEqualPrices(supplyCurve(...pick('sell'), priceCap));
  const demandLevels = mergeEqualPrices(demandCurve(...pick('buy'), priceCap));
  const uniform = mechanismNamed(result.mechanism)?.guarantees.uniformPrice === true;
  const type = clearingType(result, uniform, priceCap, supplyLevels.length, demandLevels.length);
  const supply = coarsen(supplyLevels, maxSteps, 1);
  const demand = coarsen(demandLevels, maxSteps, -1);
  const band = supply.band ?? demand.band;
  const marginal =
    uniform && result.tradedKw > 0
      ? marginalStep(supplyLevels, demandLevels, result.price, result.tradedKw, result.status)
      : undefined;
  return {
    supply: supply.steps,
    demand: demand.steps,
    supplyLevels: supplyLevels.length,
    demandLevels: demandLevels.length,
    ...(band === undefined ? {} : { priceBandPerKwh: band }),
    clearing: { pricePerKwh: result.price, quantityKw: result.tradedKw, type },
    ...(marginal === undefined ? {} : { marginal }),
  };
}

function clearingType(
  result: StoredClearing,
  uniform: boolean,
  priceCap: number,
  supplyLevels: number,
  demandLevels: number,
): string {
  if (supplyLevels === 0 && demandLevels === 0) return 'no-orders';
  if (supplyLevels === 0) return 'no-supply';
  if (demandLevels === 0) return 'no-demand';
  if (!(result.tradedKw > 0)) return 'no-cross';
  if (result.status === 'failure') return 'price-cap';
  if (uniform) return Math.abs(result.price) >= priceCap ? 'price-cap' : 'crossing';
  return DISCRIMINATORY_TYPES[result.mechanism] ?? result.status;
}

/** One step per distinct price, in merit order, quantities summed. */
function mergeEqualPrices(curve: SortedCurve): CurveStep[] {
  const levels: CurveStep[] = [];
  let price = Number.NaN;
  let quantity = 0;
  for (let rank = 0; rank < curve.count; rank++) {
    const p = priceAt(curve, rank);
    if (p !== price && rank > 0) {
      levels.push({ pricePerKwh: price, quantityKw: quantity });
      quantity = 0;
    }
    price = p;
    quantity += quantityAt(curve, rank);
  }
  if (curve.count > 0) levels.push({ pricePerKwh: price, quantityKw: quantity });
  return levels;
}

/** `direction` 1: supply (prices ascend), -1: demand (prices descend). */
function coarsen(
  levels: CurveStep[],
  maxSteps: number,
  direction: 1 | -1,
): { steps: CurveStep[]; band?: number } {
  if (levels.length <= maxSteps) return { steps: levels };
  const first = (levels[0] as CurveStep).pricePerKwh;
  const last = (levels[levels.length - 1] as CurveStep).pricePerKwh;
  const band = Math.abs(last - first) / maxSteps;
  const steps: CurveStep[] = [];
  let bandIndex = -1;
  for (const level of levels) {
    const index = Math.min(maxSteps - 1, Math.floor(((level.pricePerKwh - first) * direction) / band));
    if (index !== bandIndex) {
      steps.push({ ...level });
      bandIndex = index;
    } else {
      // Merit order puts the band's worst price last: the step takes it.
      const previous = steps[steps.length - 1] as CurveStep;
      steps[steps.length - 1] = {
        pricePerKwh: level.pricePerKwh,
        quantityKw: previous.quantityKw + level.quantityKw,
      };
    }
  }
  return { steps, band };
}

interface Candidate {
  readonly side: 'supply' | 'demand';
  readonly pricePerKwh: number;
  readonly quantityKw: number;
  readonly acceptedKw: number;
}

function candidateAt(
  levels: readonly CurveStep[],
  side: 'supply' | 'demand',
  price: number,
  tradedKw: number,
): Candidate | undefined {
  let before = 0;
  for (const level of levels) {
    if (level.pricePerKwh === price) {
      const acceptedKw = Math.min(level.quantityKw, Math.max(0, tradedKw - before));
      return { side, pricePerKwh: price, quantityKw: level.quantityKw, acceptedKw };
    }
    before += level.quantityKw;
    if (before > tradedKw) return undefined;
  }
  return undefined;
}

function marginalStep(
  supply: readonly CurveStep[],
  demand: readonly CurveStep[],
  price: number,
  tradedKw: number,
  status: string,
): Candidate | undefined {
  const candidates = [
    candidateAt(supply, 'supply', price, tradedKw),
    candidateAt(demand, 'demand', price, tradedKw),
  ].filter((c): c is Candidate => c !== undefined);
  // Sums of fills and of steps may differ in the last bits; a step within that of full is full.
  const slack = (c: Candidate) => 1e-9 * Math.max(1, c.quantityKw);
  const partial = candidates.find((c) => c.acceptedKw > slack(c) && c.acceptedKw < c.quantityKw - slack(c));
  if (partial !== undefined) return partial;
  const named = status === 'marginal-seller' ? 'supply' : status === 'marginal-buyer' ? 'demand' : undefined;
  const onNamedSide = candidates.find((c) => c.side === named && c.acceptedKw > 0);
  return onNamedSide ?? candidates.find((c) => c.acceptedKw > 0);
}
