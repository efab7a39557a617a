/**
 * A grouped bar chart: categories along the x axis (participant classes, kinds of energy), one bar per
 * series in each (market designs), the series told apart by colour and named in the legend. Values may
 * be negative (a bill that is earnings): bars grow from zero either way.
 */
import { escapeHtml } from './html-escape.js';
import { decimalsForStep, formatNumber } from './number-format.js';
import { renderEmptyFrame, renderFrame, type PlotArea } from './svg-frame.js';
import { coordinate, finiteExtent, niceTicks, type Domain } from './svg-scale.js';

export interface BarSeries {
  readonly label: string;
  readonly color: string;
  /** One value per group; NaN leaves the bar out. */
  readonly values: readonly number[];
}

export interface BarChartSpec {
  readonly id: string;
  readonly title: string;
  readonly xTitle: string;
  readonly yTitle: string;
  readonly groups: readonly string[];
  readonly series: readonly BarSeries[];
  /** Decimals of the value printed on each bar (and in its tooltip). */
  readonly valueDecimals: number;
}

/** Share of a group's width left empty on each side, so neighbouring groups stay apart. */
const GROUP_PADDING = 0.12;
const MAX_BAR_WIDTH = 56;
/** Narrower bars get their value only in the tooltip: a 12px number would overflow them. */
const MIN_LABELLED_BAR_WIDTH = 30;
const CHAR_WIDTH_PX = 6.8;

export function renderBarChart(spec: BarChartSpec): string {
  const values = spec.series.map((series) => series.values);
  const data = finiteExtent(values);
  if (spec.groups.length === 0 || spec.series.length === 0 || data === undefined) {
    return renderEmptyFrame(spec.id, spec.title, 'No data to plot.');
  }
  const yTicks = niceTicks(withHeadroom({ min: Math.min(0, data.min), max: Math.max(0, data.max) }));
  const yDecimals = decimalsForStep(yTicks.step);
  const groupCount = spec.groups.length;
  const frame = {
    id: spec.id,
    title: spec.title,
    xDomain: { min: 0, max: groupCount },
    yDomain: yTicks.domain,
    // Group names are drawn with the bars (they are cut to the group's width there).
    xTicks: [],
    yTicks: yTicks.values.map((value) => ({ value, label: formatNumber(value, yDecimals) })),
    xTitle: spec.xTitle,
    yTitle: spec.yTitle,
    legend: spec.series.map((series) => ({ label: series.label, color: series.color, mark: 'dot' as const })),
  };
  return renderFrame(frame, (plot) =>
    [
      zeroLine(plot),
      ...spec.groups.map((group, groupIndex) => renderGroup(spec, plot, group, groupIndex)),
    ].join('\n'),
  );
}

function renderGroup(spec: BarChartSpec, plot: PlotArea, group: string, groupIndex: number): string {
  const groupLeft = plot.x(groupIndex);
  const groupWidth = plot.x(groupIndex + 1) - groupLeft;
  const inner = groupWidth * (1 - 2 * GROUP_PADDING);
  const barWidth = Math.min(MAX_BAR_WIDTH, inner / spec.series.length);
  const firstBar = groupLeft + (groupWidth - barWidth * spec.series.length) / 2;
  const zero = plot.y(0);
  const parts: string[] = [];
  spec.series.forEach((series, seriesIndex) => {
    const value = series.values[groupIndex] ?? Number.NaN;
    if (!Number.isFinite(value)) return;
    const x = firstBar + seriesIndex * barWidth;
    const top = Math.min(plot.y(value), zero);
    const height = Math.abs(plot.y(value) - zero);
    const text = formatNumber(value, spec.valueDecimals);
    const tooltip = `${series.label}, ${group}: ${text}`;
    // A 1px gap between neighbouring bars keeps same-coloured edges apart in print.
    parts.push(
      `<rect x="${coordinate(x + 0.5)}" y="${coordinate(top)}" width="${coordinate(Math.max(1, barWidth - 1))}" ` +
        `height="${coordinate(Math.max(height, 0.5))}" fill="${escapeHtml(series.color)}">` +
        `<title>${escapeHtml(tooltip)}</title></rect>`,
    );
    if (barWidth >= MIN_LABELLED_BAR_WIDTH) {
      const below = value < 0;
      const y = below ? top + height + 13 : top - 4;
      parts.push(
        `<text class="note" x="${coordinate(x + barWidth / 2)}" y="${coordinate(y)}" text-anchor="middle" font-size="11">${escapeHtml(text)}</text>`,
      );
    }
  });
  const maxChars = Math.max(3, Math.floor(groupWidth / CHAR_WIDTH_PX) - 1);
  const name = group.length > maxChars ? `${group.slice(0, maxChars - 1)}…` : group;
  parts.push(
    `<text x="${coordinate(groupLeft + groupWidth / 2)}" y="${plot.bottom + 20}" text-anchor="middle">` +
      `<title>${escapeHtml(group)}</title>${escapeHtml(name)}</text>`,
  );
  return parts.join('');
}

/** With negative bars the zero line is the baseline of every bar, so it is drawn darker than the grid. */
function zeroLine(plot: PlotArea): string {
  const y = coordinate(plot.y(0));
  return `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="#8c959f" stroke-width="1"/>`;
}

/** Room above (and below) the longest bars for their value labels. */
function withHeadroom(extent: Domain): Domain {
  const pad = 0.1 * (extent.max - extent.min);
  return {
    min: extent.min === 0 ? 0 : extent.min - pad,
    max: extent.max === 0 ? 0 : extent.max + pad,
  };
}
