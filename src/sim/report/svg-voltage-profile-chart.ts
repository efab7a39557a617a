/**
 * The voltage profile of a feeder at one instant: every bus at its distance from the substation, with
 * its lowest phase voltage (filled marker) and highest (open marker) joined by a short bar, the
 * branches drawn between the lowest-phase markers so the sag along each lateral reads as a line, and
 * the ANSI C84.1 Range A limits dashed. Several runs sit side by side, nudged apart by a few pixels.
 */
import type { GridLayout } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { decimalsForStep, formatNumber } from './number-format.js';
import { renderEmptyFrame, renderFrame, type LegendItem, type PlotArea } from './svg-frame.js';
import { coordinate, finiteExtent, niceTicks } from './svg-scale.js';
import { RANGE_A_MAX_PU, RANGE_A_MIN_PU } from './voltage-color-scale.js';

export interface VoltageProfileRun {
  readonly label: string;
  readonly color: string;
  readonly dashed?: boolean;
  /** Per bus, in the order of layout.buses. */
  readonly minVPu: ArrayLike<number>;
  readonly maxVPu: ArrayLike<number>;
}

export interface VoltageProfileSpec {
  readonly id: string;
  readonly title: string;
  readonly xTitle: string;
  readonly layout: GridLayout;
  readonly runs: readonly VoltageProfileRun[];
  readonly limitColor: string;
}

const MARKER_RADIUS = 4;
/** Horizontal gap between the markers of two runs at the same bus, px. */
const RUN_NUDGE_PX = 7;

export function renderVoltageProfileChart(spec: VoltageProfileSpec): string {
  const { layout, runs } = spec;
  const voltages = finiteExtent(runs.flatMap((run) => [run.minVPu, run.maxVPu]));
  const distances = finiteExtent([layout.buses.map((bus) => bus.distance)]);
  if (voltages === undefined || distances === undefined) {
    return renderEmptyFrame(spec.id, spec.title, 'No bus voltages were recorded at this slot.');
  }
  const extent = finiteExtent([[voltages.min, voltages.max, RANGE_A_MIN_PU, RANGE_A_MAX_PU]]);
  const pad = extent === undefined ? 0 : 0.04 * (extent.max - extent.min);
  const yTicks = niceTicks(extent && { min: extent.min - pad, max: extent.max + pad });
  // A little room right of the farthest bus, so its nudged markers do not sit on the border.
  const xTicks = niceTicks({ min: Math.min(0, distances.min), max: distances.max * 1.03 }, 8);
  const yDecimals = decimalsForStep(yTicks.step);
  const xDecimals = decimalsForStep(xTicks.step);
  const legend: LegendItem[] = [
    ...runs.flatMap((run): LegendItem[] => [
      { label: `${run.label}: lowest phase`, color: run.color, mark: 'dot' },
      { label: `${run.label}: highest phase`, color: run.color, mark: 'ring' },
    ]),
    { label: 'ANSI C84.1 Range A (0.95–1.05 pu)', color: spec.limitColor, mark: 'dashed-line' },
  ];
  const frame = {
    id: spec.id,
    title: spec.title,
    xDomain: xTicks.domain,
    yDomain: yTicks.domain,
    xTicks: xTicks.values.map((value) => ({ value, label: formatNumber(value, xDecimals) })),
    yTicks: yTicks.values.map((value) => ({ value, label: formatNumber(value, yDecimals) })),
    xTitle: spec.xTitle,
    yTitle: 'voltage (pu)',
    legend,
  };
  return renderFrame(frame, (plot) =>
    [
      ...[RANGE_A_MIN_PU, RANGE_A_MAX_PU].map((vPu) => {
        const y = coordinate(plot.y(vPu));
        return `<line class="reference" x1="${plot.left}" x2="${plot.right}" y1="${y}" y2="${y}" stroke="${escapeHtml(spec.limitColor)}"/>`;
      }),
      ...runs.map((run, index) => renderBranches(spec, plot, run, nudge(index, runs.length))),
      ...layout.buses.map((_, busIndex) => renderBus(spec, plot, busIndex)),
    ].join('\n'),
  );
}

function nudge(runIndex: number, runCount: number): number {
  return (runIndex - (runCount - 1) / 2) * RUN_NUDGE_PX;
}

/** Each branch as a thin line between the lowest-phase markers of its two buses. */
function renderBranches(
  spec: VoltageProfileSpec,
  plot: PlotArea,
  run: VoltageProfileRun,
  dx: number,
): string {
  const indexOf = busIndexByName(spec.layout);
  let data = '';
  for (const branch of spec.layout.branches) {
    const from = indexOf.get(branch.from);
    const to = indexOf.get(branch.to);
    if (from === undefined || to === undefined) continue;
    const points = [from, to].map((bus) => ({
      x: plot.x(spec.layout.buses[bus]?.distance ?? Number.NaN) + dx,
      y: plot.y(run.minVPu[bus] ?? Number.NaN),
    }));
    if (!points.every((point) => Number.isFinite(point.x) && Number.isFinite(point.y))) continue;
    const [a, b] = points;
    if (a === undefined || b === undefined) continue;
    data += `M${coordinate(a.x)} ${coordinate(a.y)}L${coordinate(b.x)} ${coordinate(b.y)}`;
  }
  if (data === '') return '';
  const dash = run.dashed === true ? ' stroke-dasharray="5 4"' : '';
  return `<path d="${data}" fill="none" stroke="${escapeHtml(run.color)}" stroke-width="1.5" stroke-opacity="0.5"${dash} ${plot.clip}/>`;
}

/** One group per bus, so its tooltip names the bus and lists every run's voltages. */
function renderBus(spec: VoltageProfileSpec, plot: PlotArea, busIndex: number): string {
  const bus = spec.layout.buses[busIndex];
  if (bus === undefined || !Number.isFinite(bus.distance)) return '';
  const marks: string[] = [];
  const facts: string[] = [];
  spec.runs.forEach((run, runIndex) => {
    const low = run.minVPu[busIndex] ?? Number.NaN;
    const high = run.maxVPu[busIndex] ?? Number.NaN;
    facts.push(`${run.label}: lowest ${formatNumber(low, 4)} pu, highest ${formatNumber(high, 4)} pu`);
    const x = coordinate(plot.x(bus.distance) + nudge(runIndex, spec.runs.length));
    const color = escapeHtml(run.color);
    if (Number.isFinite(low) && Number.isFinite(high)) {
      marks.push(
        `<line x1="${x}" x2="${x}" y1="${coordinate(plot.y(low))}" y2="${coordinate(plot.y(high))}" stroke="${color}" stroke-width="1.5"/>`,
      );
    }
    if (Number.isFinite(high)) {
      marks.push(
        `<circle cx="${x}" cy="${coordinate(plot.y(high))}" r="${MARKER_RADIUS}" fill="#fff" stroke="${color}" stroke-width="2"/>`,
      );
    }
    if (Number.isFinite(low)) {
      marks.push(
        `<circle cx="${x}" cy="${coordinate(plot.y(low))}" r="${MARKER_RADIUS + 0.5}" fill="${color}" stroke="#fff" stroke-width="1"/>`,
      );
    }
  });
  if (marks.length === 0) return '';
  const tooltip = [`Bus ${bus.name}, ${formatNumber(bus.distance, 2)} from the substation`, ...facts];
  // Not clipped: every marker lies in the domain, give or take its nudge and radius.
  return `<g><title>${escapeHtml(tooltip.join('\n'))}</title>${marks.join('')}</g>`;
}

/** First bus of each name (names should be unique; a duplicate must not break the drawing). */
export function busIndexByName(layout: GridLayout): Map<string, number> {
  const indices = new Map<string, number>();
  layout.buses.forEach((bus, index) => {
    if (!indices.has(bus.name)) indices.set(bus.name, index);
  });
  return indices;
}
