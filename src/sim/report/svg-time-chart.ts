/**
 * A time-series chart: lines, min–max bands and horizontal reference lines (a capacity) over market
 * slots, with the time axis in the scenario's local time.
 */
import { escapeHtml } from './html-escape.js';
import { decimalsForStep, formatNumber } from './number-format.js';
import { finiteRuns, pathData, thinToPixelColumns, type Polyline } from './svg-path.js';
import { renderEmptyFrame, renderFrame, type LegendItem, type PlotArea } from './svg-frame.js';
import { coordinate, finiteExtent, niceTicks, type Domain } from './svg-scale.js';
import { formatUtcOffset, timeTicks } from './time-ticks.js';

export interface TimeLine {
  readonly label: string;
  readonly values: ArrayLike<number>;
  readonly color: string;
  readonly dashed?: boolean;
}

export interface TimeBand {
  readonly label: string;
  readonly lower: ArrayLike<number>;
  readonly upper: ArrayLike<number>;
  readonly color: string;
}

export interface ReferenceLine {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

export interface TimeChartSpec {
  readonly id: string;
  readonly title: string;
  readonly yTitle: string;
  readonly slotStartMs: ArrayLike<number>;
  readonly slotDurationMs: number;
  readonly utcOffsetMinutes: number;
  /**
   * 'step': a value holds over its slot (averages: load, price). 'slot-end': a value is a state at
   * the end of its slot (indoor temperature), drawn as a point there and joined by straight lines.
   */
  readonly shape: 'step' | 'slot-end';
  readonly lines: readonly TimeLine[];
  readonly bands?: readonly TimeBand[];
  readonly referenceLines?: readonly ReferenceLine[];
  /** Keep zero on the y axis (power, price) so sizes compare honestly; temperatures need not. */
  readonly includeZero?: boolean;
}

const MAX_TIME_TICKS = 9;

export function renderTimeChart(spec: TimeChartSpec): string {
  const slots = spec.slotStartMs.length;
  const firstMs = spec.slotStartMs[0] ?? Number.NaN;
  const lastMs = (spec.slotStartMs[slots - 1] ?? Number.NaN) + spec.slotDurationMs;
  const bands = spec.bands ?? [];
  const references = (spec.referenceLines ?? []).filter((line) => Number.isFinite(line.value));
  const extent = finiteExtent([
    ...spec.lines.map((line) => line.values),
    ...bands.flatMap((band) => [band.lower, band.upper]),
    references.map((line) => line.value),
    spec.includeZero === true ? [0] : [],
  ]);
  const hasData = finiteExtent([
    ...spec.lines.map((l) => l.values),
    ...bands.flatMap((b) => [b.lower, b.upper]),
  ]);
  if (slots === 0 || !(lastMs > firstMs) || hasData === undefined) {
    return renderEmptyFrame(spec.id, spec.title, 'No data to plot for this period.');
  }
  const yTicks = niceTicks(withHeadroom(extent));
  const yDecimals = decimalsForStep(yTicks.step);
  const legend: LegendItem[] = [
    ...spec.lines.map((line): LegendItem => ({
      label: line.label,
      color: line.color,
      mark: line.dashed === true ? 'dashed-line' : 'line',
    })),
    ...bands.map((band): LegendItem => ({ label: band.label, color: band.color, mark: 'band' })),
    ...references.map((line): LegendItem => ({ label: line.label, color: line.color, mark: 'dashed-line' })),
  ];
  const frame = {
    id: spec.id,
    title: spec.title,
    xDomain: { min: firstMs, max: lastMs },
    yDomain: yTicks.domain,
    xTicks: timeTicks(firstMs, lastMs, spec.utcOffsetMinutes, MAX_TIME_TICKS).map((tick) => ({
      value: tick.ms,
      label: tick.label,
      ...(tick.subLabel === undefined ? {} : { subLabel: tick.subLabel }),
    })),
    yTicks: yTicks.values.map((value) => ({ value, label: formatNumber(value, yDecimals) })),
    xTitle: `local time (${formatUtcOffset(spec.utcOffsetMinutes)})`,
    yTitle: spec.yTitle,
    legend,
  };
  return renderFrame(frame, (plot) =>
    [
      ...bands.map((band) => renderBand(spec, plot, band)),
      ...references.map((line) => renderReference(plot, line)),
      ...spec.lines.map((line) => renderLine(spec, plot, line)),
    ].join('\n'),
  );
}

function toPolyline(spec: TimeChartSpec, plot: PlotArea, values: ArrayLike<number>): Polyline {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let slot = 0; slot < spec.slotStartMs.length; slot++) {
    const startMs = spec.slotStartMs[slot] ?? Number.NaN;
    const y = plot.y(values[slot] ?? Number.NaN);
    if (spec.shape === 'step') {
      xs.push(plot.x(startMs), plot.x(startMs + spec.slotDurationMs));
      ys.push(y, y);
    } else {
      xs.push(plot.x(startMs + spec.slotDurationMs));
      ys.push(y);
    }
  }
  return { xs, ys };
}

function renderLine(spec: TimeChartSpec, plot: PlotArea, line: TimeLine): string {
  const data = pathData(toPolyline(spec, plot, line.values));
  if (data === '') return '';
  const dash = line.dashed === true ? ' stroke-dasharray="6 4"' : '';
  return `<path class="series" d="${data}" stroke="${escapeHtml(line.color)}"${dash} ${plot.clip}/>`;
}

/** A filled area between lower and upper; a slot where either is missing leaves a gap. */
function renderBand(spec: TimeChartSpec, plot: PlotArea, band: TimeBand): string {
  const upper = toPolyline(spec, plot, band.upper);
  const lower = toPolyline(spec, plot, band.lower);
  const both: Polyline = {
    xs: upper.xs,
    ys: upper.ys.map((y, index) => (Number.isFinite(lower.ys[index]) ? y : Number.NaN)),
  };
  let data = '';
  for (const [start, end] of finiteRuns(both)) {
    const top = thinToPixelColumns(upper, start, end);
    const bottom = thinToPixelColumns(lower, start, end).reverse();
    const points = [
      ...top.map((index) => [upper.xs[index] ?? 0, upper.ys[index] ?? 0]),
      ...bottom.map((index) => [lower.xs[index] ?? 0, lower.ys[index] ?? 0]),
    ];
    data +=
      points
        .map(([x, y], i) => `${i === 0 ? 'M' : 'L'}${coordinate(x ?? 0)} ${coordinate(y ?? 0)}`)
        .join('') + 'Z';
  }
  if (data === '') return '';
  return `<path class="band" d="${data}" fill="${escapeHtml(band.color)}" ${plot.clip}/>`;
}

function renderReference(plot: PlotArea, line: ReferenceLine): string {
  const y = coordinate(plot.y(line.value));
  return `<line class="reference" x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${escapeHtml(line.color)}"/>`;
}

/** A little room above and below the data so a line at its extreme does not merge with the border. */
function withHeadroom(extent: Domain | undefined): Domain | undefined {
  if (extent === undefined) return undefined;
  const pad = 0.04 * (extent.max - extent.min);
  return {
    min: extent.min === 0 ? 0 : extent.min - pad,
    max: extent.max === 0 ? 0 : extent.max + pad,
  };
}
