/**
 * The parts every chart shares: the <svg> element with an accessible title, legend, grid, axes with
 * ticks and unit-bearing titles, and a clip path for the plot area. Charts only draw their marks inside.
 */
import { escapeHtml } from './html-escape.js';
import { coordinate, linearScale, type Domain } from './svg-scale.js';

export const CHART_WIDTH = 960;
export const CHART_HEIGHT = 340;
const MARGIN_LEFT = 78;
const MARGIN_RIGHT = 24;
const MARGIN_BOTTOM = 66;
const LEGEND_ROW_HEIGHT = 20;
const TICK_FONT_PX = 12;
/** Marks may overhang the plot by a line width, so a point on the edge is not cut in half. */
const CLIP_BLEED = 4;
/** Average glyph width of the system sans-serif at 12px; legend layout needs no exact metrics. */
const CHAR_WIDTH_PX = 6.8;

export interface AxisTick {
  readonly value: number;
  readonly label: string;
  readonly subLabel?: string;
}

export interface LegendItem {
  readonly label: string;
  readonly color: string;
  readonly mark: 'line' | 'dashed-line' | 'band' | 'dot' | 'ring';
}

export interface FrameSpec {
  /** Unique within the page: used for the clip path id. */
  readonly id: string;
  readonly title: string;
  readonly xDomain: Domain;
  readonly yDomain: Domain;
  readonly xTicks: readonly AxisTick[];
  readonly yTicks: readonly AxisTick[];
  readonly xTitle: string;
  readonly yTitle: string;
  readonly legend: readonly LegendItem[];
}

export interface PlotArea {
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
  readonly x: (value: number) => number;
  readonly y: (value: number) => number;
  /** Attribute that clips a mark to the plot area. */
  readonly clip: string;
}

/** Lays the frame out, lets `drawMarks` draw into the plot area, and returns the whole <svg>. */
export function renderFrame(spec: FrameSpec, drawMarks: (plot: PlotArea) => string): string {
  const legendRows = layoutLegend(spec.legend, CHART_WIDTH - MARGIN_LEFT - MARGIN_RIGHT);
  const top = 16 + Math.max(1, legendRows.length) * LEGEND_ROW_HEIGHT;
  const plot: PlotArea = {
    left: MARGIN_LEFT,
    right: CHART_WIDTH - MARGIN_RIGHT,
    top,
    bottom: CHART_HEIGHT - MARGIN_BOTTOM,
    x: linearScale(spec.xDomain, MARGIN_LEFT, CHART_WIDTH - MARGIN_RIGHT),
    y: linearScale(spec.yDomain, CHART_HEIGHT - MARGIN_BOTTOM, top),
    clip: `clip-path="url(#${spec.id}-clip)"`,
  };
  return [
    `<svg id="${spec.id}" class="chart" viewBox="0 0 ${CHART_WIDTH} ${CHART_HEIGHT}" role="img" ` +
      `aria-labelledby="${spec.id}-title">`,
    `<title id="${spec.id}-title">${escapeHtml(spec.title)}</title>`,
    `<defs><clipPath id="${spec.id}-clip"><rect x="${plot.left - CLIP_BLEED}" y="${plot.top - CLIP_BLEED}" ` +
      `width="${plot.right - plot.left + 2 * CLIP_BLEED}" height="${plot.bottom - plot.top + 2 * CLIP_BLEED}"/></clipPath></defs>`,
    renderGrid(spec, plot),
    drawMarks(plot),
    renderAxes(spec, plot),
    renderLegend(legendRows),
    '</svg>',
  ].join('\n');
}

/** A frame with no marks and a message in the middle, for series with nothing to plot. */
export function renderEmptyFrame(id: string, title: string, message: string): string {
  const spec: FrameSpec = {
    id,
    title,
    xDomain: { min: 0, max: 1 },
    yDomain: { min: 0, max: 1 },
    xTicks: [],
    yTicks: [],
    xTitle: '',
    yTitle: '',
    legend: [],
  };
  return renderFrame(spec, (plot) => {
    const x = coordinate((plot.left + plot.right) / 2);
    const y = coordinate((plot.top + plot.bottom) / 2);
    return `<text class="empty" x="${x}" y="${y}" text-anchor="middle">${escapeHtml(message)}</text>`;
  });
}

function renderGrid(spec: FrameSpec, plot: PlotArea): string {
  const lines = spec.yTicks.map((tick) => {
    const y = coordinate(plot.y(tick.value));
    return `<line x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}"/>`;
  });
  // The border goes under the marks so a line at the plot edge (a clipped bid) stays visible.
  const border = `<rect class="plot-border" x="${plot.left}" y="${plot.top}" width="${plot.right - plot.left}" height="${plot.bottom - plot.top}"/>`;
  return `<g class="grid">${lines.join('')}${border}</g>`;
}

function renderAxes(spec: FrameSpec, plot: PlotArea): string {
  const parts: string[] = [];
  for (const tick of spec.yTicks) {
    const y = coordinate(plot.y(tick.value));
    parts.push(`<line class="tick" x1="${plot.left - 5}" x2="${plot.left}" y1="${y}" y2="${y}"/>`);
    parts.push(
      `<text x="${plot.left - 8}" y="${y}" dy="0.35em" text-anchor="end">${escapeHtml(tick.label)}</text>`,
    );
  }
  for (const tick of spec.xTicks) {
    const x = coordinate(plot.x(tick.value));
    parts.push(`<line class="tick" x1="${x}" x2="${x}" y1="${plot.bottom}" y2="${plot.bottom + 5}"/>`);
    parts.push(
      `<text x="${x}" y="${plot.bottom + 8 + TICK_FONT_PX}" text-anchor="middle">${escapeHtml(tick.label)}</text>`,
    );
    if (tick.subLabel !== undefined) {
      parts.push(
        `<text class="sub" x="${x}" y="${plot.bottom + 10 + 2 * TICK_FONT_PX}" text-anchor="middle">${escapeHtml(tick.subLabel)}</text>`,
      );
    }
  }
  const middleY = coordinate((plot.top + plot.bottom) / 2);
  parts.push(
    `<text class="axis-title" transform="translate(18 ${middleY}) rotate(-90)" text-anchor="middle">${escapeHtml(spec.yTitle)}</text>`,
  );
  parts.push(
    `<text class="axis-title" x="${coordinate((plot.left + plot.right) / 2)}" y="${CHART_HEIGHT - 8}" text-anchor="middle">${escapeHtml(spec.xTitle)}</text>`,
  );
  return `<g class="axes">${parts.join('')}</g>`;
}

interface PlacedLegendItem extends LegendItem {
  readonly x: number;
}

function layoutLegend(items: readonly LegendItem[], width: number): PlacedLegendItem[][] {
  const rows: PlacedLegendItem[][] = [];
  let row: PlacedLegendItem[] = [];
  let x = 0;
  for (const item of items) {
    const itemWidth = 30 + item.label.length * CHAR_WIDTH_PX + 18;
    if (row.length > 0 && x + itemWidth > width) {
      rows.push(row);
      row = [];
      x = 0;
    }
    row.push({ ...item, x: MARGIN_LEFT + x });
    x += itemWidth;
  }
  if (row.length > 0) rows.push(row);
  return rows;
}

function renderLegend(rows: readonly (readonly PlacedLegendItem[])[]): string {
  const parts = rows.flatMap((row, rowIndex) =>
    row.map((item) => {
      const y = 18 + rowIndex * LEGEND_ROW_HEIGHT;
      return `<g transform="translate(${coordinate(item.x)} ${y})">${legendMark(item)}<text x="30" y="0" dy="0.35em">${escapeHtml(item.label)}</text></g>`;
    }),
  );
  return `<g class="legend">${parts.join('')}</g>`;
}

/** The 24 × 12 px sample drawn before a legend label; charts with their own legend layout reuse it. */
export function legendMark(item: Pick<LegendItem, 'color' | 'mark'>): string {
  const color = escapeHtml(item.color);
  switch (item.mark) {
    case 'band':
      return `<rect x="0" y="-6" width="24" height="12" fill="${color}" fill-opacity="0.22" stroke="none"/>`;
    case 'dot':
      return `<circle cx="12" cy="0" r="5" fill="${color}" stroke="#fff" stroke-width="1.5"/>`;
    case 'ring':
      return `<circle cx="12" cy="0" r="4.5" fill="#fff" stroke="${color}" stroke-width="2"/>`;
    case 'dashed-line':
      return `<line x1="0" x2="24" y1="0" y2="0" stroke="${color}" stroke-width="2.5" stroke-dasharray="6 4"/>`;
    case 'line':
      return `<line x1="0" x2="24" y1="0" y2="0" stroke="${color}" stroke-width="2.5"/>`;
  }
}
