/**
 * Geometry of the supply and demand chart, apart from drawing so it can be tested: the scales, each
 * step's cumulative extent, the SVG step paths, where the clearing point sits, which step the marginal
 * one is, and which step lies under the pointer. Quantity runs along x (kW), price up y (per kWh).
 */
import type { CurveStep } from './contracts';

export type Side = 'supply' | 'demand';

export interface Plot {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

/** One step placed on the quantity axis: it spans [fromKw, toKw) at its price. */
export interface PlacedStep {
  readonly side: Side;
  readonly index: number;
  readonly fromKw: number;
  readonly toKw: number;
  readonly pricePerKwh: number;
  readonly quantityKw: number;
}

export interface Domain {
  readonly maxKw: number;
  readonly minPrice: number;
  readonly maxPrice: number;
  /** The quantity axis stops short of the longer curve (it runs on to this, kW). */
  readonly truncatedAtKw?: number;
  /** Steps priced at or beyond the cap are drawn on the plot's top or bottom edge. */
  readonly cappedSteps?: boolean;
}

export interface Scales {
  readonly x: (quantityKw: number) => number;
  readonly y: (pricePerKwh: number) => number;
  /** Back from pixels, for the pointer. */
  readonly quantityAt: (xPx: number) => number;
  readonly priceAt: (yPx: number) => number;
  readonly domain: Domain;
}

/** Steps in merit order laid end to end: each starts where the previous ended. */
export function placeSteps(steps: readonly CurveStep[], side: Side): PlacedStep[] {
  const placed: PlacedStep[] = [];
  let fromKw = 0;
  steps.forEach((step, index) => {
    const quantityKw = Math.max(0, step.quantityKw);
    placed.push({
      side,
      index,
      fromKw,
      toKw: fromKw + quantityKw,
      pricePerKwh: step.pricePerKwh,
      quantityKw,
    });
    fromKw += quantityKw;
  });
  return placed;
}

/**
 * What the axes must show: where the curves meet, the clearing point, and every price but those at
 * the cap. A community's substation offers far more than the homes bid (1,500 kW against 70), and
 * inflexible demand bids at the cap: drawn to scale, either would squash the crossing into a corner.
 * So the quantity axis ends a little past the shorter curve (when the longer one runs on past half as
 * far again) and capped prices sit on the plot's edge.
 */
export function curveDomain(
  supply: readonly PlacedStep[],
  demand: readonly PlacedStep[],
  clearing?: { pricePerKwh: number; quantityKw: number },
  priceCapPerKwh?: number,
): Domain {
  const capped = (p: number) => priceCapPerKwh !== undefined && Math.abs(p) >= priceCapPerKwh;
  const all = [...supply, ...demand].map((s) => s.pricePerKwh);
  if (clearing !== undefined && Number.isFinite(clearing.pricePerKwh)) all.push(clearing.pricePerKwh);
  const inside = all.filter((p) => !capped(p));
  const prices = inside.length > 0 ? inside : all;
  const supplyKw = supply.at(-1)?.toKw ?? 0;
  const demandKw = demand.at(-1)?.toKw ?? 0;
  const clearingKw = clearing?.quantityKw ?? 0;
  const longest = Math.max(supplyKw, demandKw, clearingKw);
  const shorter = supplyKw > 0 && demandKw > 0 ? Math.min(supplyKw, demandKw) : longest;
  const focusKw = Math.max(shorter, clearingKw) * 1.3;
  const truncate = focusKw > 0 && longest > focusKw * 1.5;
  const maxKw = truncate ? focusKw : longest * 1.05;
  let minPrice = prices.length === 0 ? 0 : Math.min(...prices);
  let maxPrice = prices.length === 0 ? 1 : Math.max(...prices);
  if (minPrice > 0) minPrice = 0;
  if (maxPrice === minPrice) maxPrice = minPrice + Math.max(0.01, Math.abs(minPrice) * 0.1);
  const pad = (maxPrice - minPrice) * 0.08;
  return {
    maxKw: maxKw > 0 ? maxKw : 1,
    minPrice: minPrice < 0 ? minPrice - pad : minPrice,
    maxPrice: maxPrice + pad,
    ...(truncate ? { truncatedAtKw: longest } : {}),
    ...(prices.length < all.length ? { cappedSteps: true } : {}),
  };
}

export function scalesFor(plot: Plot, domain: Domain): Scales {
  const x0 = plot.left;
  const x1 = plot.width - plot.right;
  const y0 = plot.height - plot.bottom;
  const y1 = plot.top;
  const kwPerPx = domain.maxKw / (x1 - x0);
  const pricePerPx = (domain.maxPrice - domain.minPrice) / (y0 - y1);
  return {
    x: (quantityKw) => x0 + quantityKw / kwPerPx,
    // Off-scale prices (capped steps) sit on the edge rather than outside the plot.
    y: (pricePerKwh) => Math.min(y0, Math.max(y1, y0 - (pricePerKwh - domain.minPrice) / pricePerPx)),
    quantityAt: (xPx) => (xPx - x0) * kwPerPx,
    priceAt: (yPx) => domain.minPrice + (y0 - yPx) * pricePerPx,
    domain,
  };
}

const round = (value: number) => Math.round(value * 10) / 10;

/** The stepped line through a curve: along each step at its price, then up or down to the next. */
export function stepPath(steps: readonly PlacedStep[], scales: Scales): string {
  if (steps.length === 0) return '';
  const first = steps[0] as PlacedStep;
  let path = `M${round(scales.x(first.fromKw))},${round(scales.y(first.pricePerKwh))}`;
  for (const step of steps) {
    path += `V${round(scales.y(step.pricePerKwh))}H${round(scales.x(step.toKw))}`;
  }
  return path;
}

/** The clearing point in pixels, kept inside the plot so a point at the price cap stays visible. */
export function clearingPoint(
  clearing: { pricePerKwh: number; quantityKw: number },
  scales: Scales,
  plot: Plot,
): { x: number; y: number } {
  const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));
  return {
    x: round(clamp(scales.x(clearing.quantityKw), plot.left, plot.width - plot.right)),
    y: round(clamp(scales.y(clearing.pricePerKwh), plot.top, plot.height - plot.bottom)),
  };
}

/** The placed step the API names as marginal (same side and price); undefined when none matches. */
export function marginalStep(
  supply: readonly PlacedStep[],
  demand: readonly PlacedStep[],
  marginal: { side: Side; pricePerKwh: number } | undefined,
): PlacedStep | undefined {
  if (marginal === undefined) return undefined;
  const steps = marginal.side === 'supply' ? supply : demand;
  const tolerance = 1e-9 * Math.max(1, Math.abs(marginal.pricePerKwh));
  return steps.find((s) => Math.abs(s.pricePerKwh - marginal.pricePerKwh) <= tolerance);
}

/**
 * The step under the pointer: among the steps spanning its quantity (both curves may), the one whose
 * price line is nearest, if within `tolerancePx`.
 */
export function hitTest(
  steps: readonly PlacedStep[],
  scales: Scales,
  xPx: number,
  yPx: number,
  tolerancePx = 8,
): PlacedStep | undefined {
  const quantityKw = scales.quantityAt(xPx);
  let best: PlacedStep | undefined;
  let bestDistance = tolerancePx;
  for (const step of steps) {
    if (quantityKw < step.fromKw || quantityKw > step.toKw) continue;
    const distance = Math.abs(scales.y(step.pricePerKwh) - yPx);
    if (distance <= bestDistance) {
      best = step;
      bestDistance = distance;
    }
  }
  return best;
}

/** About `count` round tick values covering [min, max] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const stepSize = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let tick = Math.ceil(min / stepSize) * stepSize; tick <= max + stepSize * 1e-9; tick += stepSize) {
    ticks.push(Number(tick.toPrecision(12)));
  }
  return ticks;
}
