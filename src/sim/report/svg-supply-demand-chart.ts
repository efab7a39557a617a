/**
 * The supply and demand curves of one market slot as step curves (cumulative quantity on x, price on
 * y) with the clearing point marked. Unresponsive load bids at the price cap would squash every other
 * step into a flat line, so far outliers are drawn at the plot edge and the chart says so.
 */
import type { SupplyDemandCurves } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { decimalsForStep, formatNumber } from './number-format.js';
import { pathData, type Polyline } from './svg-path.js';
import { renderEmptyFrame, renderFrame, type LegendItem, type PlotArea } from './svg-frame.js';
import { coordinate, finiteExtent, niceTicks, type Domain } from './svg-scale.js';

export interface SupplyDemandChartSpec {
  readonly id: string;
  readonly title: string;
  readonly curves: SupplyDemandCurves;
  readonly currency: string;
  readonly demandColor: string;
  readonly supplyColor: string;
  readonly clearingColor: string;
}

type Step = SupplyDemandCurves['buys'][number];

/** An outlier sits this many spreads of the other prices beyond them. */
const OUTLIER_SPREADS = 4;

export function renderSupplyDemandChart(spec: SupplyDemandChartSpec): string {
  const { curves } = spec;
  const demand = cumulative(curves.buys);
  const supply = cumulative(curves.sells);
  const prices = [...curves.buys, ...curves.sells].map((step) => step.pricePerKwh);
  const priceExtent = finiteExtent([prices, [curves.clearingPricePerKwh]]);
  const quantityExtent = finiteExtent([demand.quantities, supply.quantities, [0, curves.clearedQuantityKw]]);
  if (priceExtent === undefined || quantityExtent === undefined || prices.length === 0) {
    return renderEmptyFrame(spec.id, spec.title, 'The market at this slot had no bids.');
  }
  const visiblePrices = withoutOutliers(prices, curves.clearingPricePerKwh);
  const yTicks = niceTicks(visiblePrices.domain);
  const xTicks = niceTicks({ min: 0, max: quantityExtent.max }, 8);
  const yDecimals = decimalsForStep(yTicks.step);
  const xDecimals = decimalsForStep(xTicks.step);
  const clearingKnown =
    Number.isFinite(curves.clearingPricePerKwh) && Number.isFinite(curves.clearedQuantityKw);
  const legend: LegendItem[] = [
    { label: 'demand (buy bids)', color: spec.demandColor, mark: 'line' },
    { label: 'supply (sell offers)', color: spec.supplyColor, mark: 'line' },
  ];
  if (clearingKnown) {
    legend.push({
      label: `clearing: ${formatNumber(curves.clearedQuantityKw, 1)} kW at ${formatNumber(curves.clearingPricePerKwh, 4)} ${spec.currency}/kWh`,
      color: spec.clearingColor,
      mark: 'dot',
    });
  }
  const frame = {
    id: spec.id,
    title: spec.title,
    xDomain: xTicks.domain,
    yDomain: yTicks.domain,
    xTicks: xTicks.values.map((value) => ({ value, label: formatNumber(value, xDecimals) })),
    yTicks: yTicks.values.map((value) => ({ value, label: formatNumber(value, yDecimals) })),
    xTitle: 'cumulative quantity (kW)',
    yTitle: `price (${spec.currency}/kWh)`,
    legend,
  };
  return renderFrame(frame, (plot) => {
    const clampY = (price: number): number =>
      plot.y(Math.min(yTicks.domain.max, Math.max(yTicks.domain.min, price)));
    const marks = [
      renderSteps(plot, demand, clampY, spec.demandColor),
      renderSteps(plot, supply, clampY, spec.supplyColor),
    ];
    if (clearingKnown) marks.push(renderClearingPoint(plot, curves, clampY, spec.clearingColor));
    const note = clippedNote(visiblePrices, spec.currency);
    if (note !== '') {
      marks.push(
        `<text class="note" x="${plot.right - 8}" y="${plot.top + 16}" text-anchor="end">${escapeHtml(note)}</text>`,
      );
    }
    return marks.join('\n');
  });
}

interface CumulativeSteps {
  readonly prices: readonly number[];
  /** Cumulative quantity at the end of each step. */
  readonly quantities: readonly number[];
}

function cumulative(steps: readonly Step[]): CumulativeSteps {
  let total = 0;
  const quantities: number[] = [];
  for (const step of steps) {
    if (Number.isFinite(step.quantityKw)) total += Math.max(0, step.quantityKw);
    quantities.push(total);
  }
  return { prices: steps.map((step) => step.pricePerKwh), quantities };
}

function renderSteps(
  plot: PlotArea,
  steps: CumulativeSteps,
  clampY: (price: number) => number,
  color: string,
): string {
  const xs: number[] = [];
  const ys: number[] = [];
  let from = 0;
  steps.prices.forEach((price, index) => {
    const to = steps.quantities[index] ?? from;
    const y = Number.isFinite(price) ? clampY(price) : Number.NaN;
    xs.push(plot.x(from), plot.x(to));
    ys.push(y, y);
    from = to;
  });
  const line: Polyline = { xs, ys };
  const data = pathData(line);
  return data === '' ? '' : `<path class="series" d="${data}" stroke="${escapeHtml(color)}" ${plot.clip}/>`;
}

function renderClearingPoint(
  plot: PlotArea,
  curves: SupplyDemandCurves,
  clampY: (price: number) => number,
  color: string,
): string {
  const x = coordinate(plot.x(curves.clearedQuantityKw));
  const y = coordinate(clampY(curves.clearingPricePerKwh));
  return [
    `<path class="guide" d="M${plot.left} ${y}H${x}V${plot.bottom}"/>`,
    `<circle cx="${x}" cy="${y}" r="6" fill="${escapeHtml(color)}" stroke="#fff" stroke-width="2"/>`,
  ].join('');
}

function clippedNote(prices: VisiblePrices, currency: string): string {
  const { domain, clippedExtent } = prices;
  const above = clippedExtent.max > domain.max;
  const below = clippedExtent.min < domain.min;
  const parts: string[] = [];
  if (above) parts.push(`up to ${formatNumber(clippedExtent.max, 2)}`);
  if (below) parts.push(`down to ${formatNumber(clippedExtent.min, 2)}`);
  if (parts.length === 0) return '';
  const edge = above && below ? 'top and bottom edges' : above ? 'top edge' : 'bottom edge';
  return `bids off the scale (${parts.join(', ')} ${currency}/kWh) are drawn at the ${edge}`;
}

interface VisiblePrices {
  readonly domain: Domain;
  readonly clipped: boolean;
  readonly clippedExtent: Domain;
}

/**
 * The price range to show: all prices, unless the highest (or lowest) distinct price lies far beyond
 * the rest, as a price-cap bid does. The clearing price always stays in view.
 */
function withoutOutliers(prices: readonly number[], clearingPrice: number): VisiblePrices {
  const finite = prices.filter(Number.isFinite);
  const anchor = Number.isFinite(clearingPrice) ? [clearingPrice] : [];
  const distinct = [...new Set([...finite, ...anchor])].sort((a, b) => a - b);
  const full = finiteExtent([distinct]) ?? { min: 0, max: 1 };
  if (distinct.length < 3) return { domain: full, clipped: false, clippedExtent: full };
  let low = 0;
  let high = distinct.length - 1;
  const at = (index: number): number => distinct[index] ?? 0;
  // The yardstick is the size of the other prices (their range or magnitude), so a cap of 1000 next
  // to prices around 0.1 counts as an outlier but 0.3 next to 0.05 and 0.1 does not.
  const yardstick = (from: number, to: number): number =>
    Math.max(at(to) - at(from), Math.abs(at(from)), Math.abs(at(to)), 1e-9);
  if (at(high) !== clearingPrice && at(high) - at(high - 1) > OUTLIER_SPREADS * yardstick(low, high - 1))
    high--;
  if (
    high - low >= 2 &&
    at(low) !== clearingPrice &&
    at(low + 1) - at(low) > OUTLIER_SPREADS * yardstick(low + 1, high)
  ) {
    low++;
  }
  const kept = { min: distinct[low] ?? full.min, max: distinct[high] ?? full.max };
  const clipped = kept.min !== full.min || kept.max !== full.max;
  if (!clipped) return { domain: full, clipped, clippedExtent: full };
  const margin = 0.25 * Math.max(kept.max - kept.min, Math.abs(kept.max) * 0.1, 1e-6);
  return {
    domain: {
      min: kept.min === full.min ? kept.min : kept.min - margin,
      max: kept.max === full.max ? kept.max : kept.max + margin,
    },
    clipped,
    clippedExtent: full,
  };
}
