/**
 * The feeder as a map: buses at their coordinates (larger y drawn higher, one scale for both axes so
 * the shape is true), branches as lines styled by kind, each bus a circle coloured by its voltage and
 * sized by the homes it serves, with a legend column on the right. Tooltips are SVG <title>s.
 */
import type { GridLayout } from '../results.js';
import { escapeHtml } from './html-escape.js';
import { formatNumber } from './number-format.js';
import { CHART_WIDTH, legendMark } from './svg-frame.js';
import { coordinate } from './svg-scale.js';
import { NO_VOLTAGE_COLOR, VOLTAGE_COLOR_STOPS, hex, voltageColor } from './voltage-color-scale.js';

export interface FeederMapSpec {
  readonly id: string;
  readonly title: string;
  readonly layout: GridLayout;
  /** Per bus, in the order of layout.buses. */
  readonly busVPu: ArrayLike<number>;
  /** What busVPu is, for the legend and tooltips ("lowest phase voltage, TE"). */
  readonly voltageLabel: string;
}

const MAP_LEFT = 8;
const MAP_TOP = 8;
const MAP_MAX_WIDTH = 700;
const MAP_MAX_HEIGHT = 540;
/** Room inside the map for the largest circle and a bus label. */
const MAP_PAD = 30;
const LEGEND_LEFT = 736;
const MIN_RADIUS = 5;
const EXTRA_RADIUS_FOR_MOST_HOMES = 9;
/** Above this many buses the labels would overlap into noise; tooltips still name every bus. */
const MAX_LABELLED_BUSES = 60;

interface BranchStyle {
  readonly label: string;
  readonly color: string;
  readonly width: number;
  readonly dash: string;
}

const BRANCH_STYLES: Readonly<Record<string, BranchStyle>> = {
  line: { label: 'line', color: '#57606a', width: 2.5, dash: '' },
  transformer: { label: 'transformer', color: '#8250df', width: 3, dash: '7 4' },
  regulator: { label: 'voltage regulator', color: '#bc4c00', width: 3, dash: '7 4' },
  switch: { label: 'switch', color: '#1f2328', width: 2, dash: '2 3' },
};

function branchStyle(kind: string): BranchStyle {
  return BRANCH_STYLES[kind] ?? { label: kind, color: '#8c959f', width: 2, dash: '1 3' };
}

/** True when at least half the buses have coordinates: enough to draw a map worth reading. */
export function hasMapCoordinates(layout: GridLayout): boolean {
  const placed = layout.buses.filter((bus) => isPlaced(bus)).length;
  return placed > 0 && placed * 2 >= layout.buses.length;
}

function isPlaced(bus: GridLayout['buses'][number]): bus is GridLayout['buses'][number] & {
  x: number;
  y: number;
} {
  return bus.x !== null && bus.y !== null && Number.isFinite(bus.x) && Number.isFinite(bus.y);
}

interface PlacedBus {
  readonly index: number;
  readonly name: string;
  readonly homes: number;
  readonly px: number;
  readonly py: number;
  readonly radius: number;
}

export function renderFeederMap(spec: FeederMapSpec): string {
  const { buses, height } = placeBuses(spec.layout);
  const legend = renderLegend(spec, buses);
  const svgHeight = Math.ceil(Math.max(MAP_TOP + height, legend.height) + 8);
  const labelled = buses.length <= MAX_LABELLED_BUSES;
  return [
    `<svg id="${spec.id}" class="chart" viewBox="0 0 ${CHART_WIDTH} ${svgHeight}" role="img" aria-labelledby="${spec.id}-title">`,
    `<title id="${spec.id}-title">${escapeHtml(spec.title)}</title>`,
    // The clip keeps long bus labels out of the legend column, not out of the map's own margin.
    `<defs><clipPath id="${spec.id}-clip"><rect x="0" y="0" width="${LEGEND_LEFT - 10}" height="${svgHeight}"/></clipPath>`,
    gradientDef(`${spec.id}-scale`),
    '</defs>',
    `<g clip-path="url(#${spec.id}-clip)">`,
    renderBranches(spec.layout, buses),
    ...[...buses]
      // Large circles first so a small neighbour stays visible on top.
      .sort((a, b) => b.radius - a.radius || a.index - b.index)
      .map((bus) => renderBus(spec, bus, labelled)),
    '</g>',
    legend.markup,
    '</svg>',
  ].join('\n');
}

function placeBuses(layout: GridLayout): { buses: PlacedBus[]; height: number } {
  const placed = layout.buses.flatMap((bus, index) => (isPlaced(bus) ? [{ ...bus, index }] : []));
  const xs = placed.map((bus) => bus.x);
  const ys = placed.map((bus) => bus.y);
  const minX = Math.min(...xs);
  const maxX = Math.max(...xs);
  const minY = Math.min(...ys);
  const maxY = Math.max(...ys);
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const inner = { width: MAP_MAX_WIDTH - 2 * MAP_PAD, height: MAP_MAX_HEIGHT - 2 * MAP_PAD };
  // One scale for both axes keeps the feeder's shape; a line of buses (zero span) uses the other.
  const scale = Math.min(
    spanX > 0 ? inner.width / spanX : Number.POSITIVE_INFINITY,
    spanY > 0 ? inner.height / spanY : Number.POSITIVE_INFINITY,
  );
  const factor = Number.isFinite(scale) ? scale : 0;
  const width = spanX > 0 ? spanX * factor + 2 * MAP_PAD : Math.min(MAP_MAX_WIDTH, 2 * MAP_PAD + 120);
  const height = spanY > 0 ? spanY * factor + 2 * MAP_PAD : 2 * MAP_PAD + 40;
  const mostHomes = Math.max(0, ...placed.map((bus) => homesOf(bus.homes)));
  const buses = placed.map((bus) => ({
    index: bus.index,
    name: bus.name,
    homes: homesOf(bus.homes),
    px: MAP_LEFT + (spanX > 0 ? MAP_PAD + (bus.x - minX) * factor : width / 2),
    // SVG y grows downwards; feeder y grows upwards.
    py: MAP_TOP + (spanY > 0 ? MAP_PAD + (maxY - bus.y) * factor : height / 2),
    radius: radiusFor(homesOf(bus.homes), mostHomes),
  }));
  return { buses, height };
}

function homesOf(homes: number): number {
  return Number.isFinite(homes) && homes > 0 ? homes : 0;
}

/** Circle area grows with the homes at the bus, so a bus with four times the homes looks four times as big. */
function radiusFor(homes: number, mostHomes: number): number {
  return mostHomes > 0 ? MIN_RADIUS + EXTRA_RADIUS_FOR_MOST_HOMES * Math.sqrt(homes / mostHomes) : MIN_RADIUS;
}

function renderBranches(layout: GridLayout, buses: readonly PlacedBus[]): string {
  const byName = new Map<string, PlacedBus>();
  for (const bus of buses) if (!byName.has(bus.name)) byName.set(bus.name, bus);
  const lines = layout.branches.flatMap((branch) => {
    const from = byName.get(branch.from);
    const to = byName.get(branch.to);
    if (from === undefined || to === undefined) return [];
    const style = branchStyle(branch.kind);
    const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
    const title = `${style.label} ${branch.from} – ${branch.to}`;
    return [
      `<line x1="${coordinate(from.px)}" y1="${coordinate(from.py)}" x2="${coordinate(to.px)}" y2="${coordinate(to.py)}" ` +
        `stroke="${escapeHtml(style.color)}" stroke-width="${style.width}"${dash} stroke-linecap="round"><title>${escapeHtml(title)}</title></line>`,
    ];
  });
  return `<g class="branches">${lines.join('')}</g>`;
}

function renderBus(spec: FeederMapSpec, bus: PlacedBus, labelled: boolean): string {
  const vPu = spec.busVPu[bus.index] ?? Number.NaN;
  const voltage = Number.isFinite(vPu) ? `${formatNumber(vPu, 4)} pu` : 'not computed';
  const homes = `${formatNumber(bus.homes, 0)} ${bus.homes === 1 ? 'home' : 'homes'}`;
  const tooltip = `Bus ${bus.name}\n${homes}\n${spec.voltageLabel}: ${voltage}`;
  const cx = coordinate(bus.px);
  const cy = coordinate(bus.py);
  const label = labelled
    ? `<text class="sub" x="${coordinate(bus.px + bus.radius + 3)}" y="${coordinate(bus.py - bus.radius + 1)}" font-size="11">${escapeHtml(bus.name)}</text>`
    : '';
  return (
    `<g><title>${escapeHtml(tooltip)}</title>` +
    `<circle cx="${cx}" cy="${cy}" r="${coordinate(bus.radius)}" fill="${voltageColor(vPu)}" stroke="#1f2328" stroke-width="1"/>` +
    `${label}</g>`
  );
}

function gradientDef(id: string): string {
  const first = VOLTAGE_COLOR_STOPS[0]?.vPu ?? 0;
  const last = VOLTAGE_COLOR_STOPS[VOLTAGE_COLOR_STOPS.length - 1]?.vPu ?? 1;
  const stops = VOLTAGE_COLOR_STOPS.map(
    (stop) =>
      `<stop offset="${formatNumber(((stop.vPu - first) / (last - first)) * 100, 1)}%" stop-color="${hex(stop.rgb)}"/>`,
  );
  return `<linearGradient id="${id}" x1="0" x2="1" y1="0" y2="0">${stops.join('')}</linearGradient>`;
}

const BAR_WIDTH = 180;

function renderLegend(spec: FeederMapSpec, buses: readonly PlacedBus[]): { markup: string; height: number } {
  const parts: string[] = [];
  let y = 20;
  const heading = (text: string): void => {
    parts.push(`<text x="${LEGEND_LEFT}" y="${y}" font-weight="600">${escapeHtml(text)}</text>`);
    y += 16;
  };
  heading('Bus colour');
  parts.push(`<text class="sub" x="${LEGEND_LEFT}" y="${y}">${escapeHtml(spec.voltageLabel)}</text>`);
  y += 10;
  parts.push(
    `<rect x="${LEGEND_LEFT}" y="${y}" width="${BAR_WIDTH}" height="12" fill="url(#${spec.id}-scale)" stroke="#8c959f" stroke-width="0.5"/>`,
  );
  const ticks: [number, string, string][] = [
    [0, '≤ 0.95', 'start'],
    [0.5, '1.00', 'middle'],
    [1, '≥ 1.05 pu', 'end'],
  ];
  for (const [at, label, anchor] of ticks) {
    const x = coordinate(LEGEND_LEFT + at * BAR_WIDTH);
    parts.push(`<line class="tick" x1="${x}" x2="${x}" y1="${y + 12}" y2="${y + 16}"/>`);
    parts.push(`<text x="${x}" y="${y + 28}" text-anchor="${anchor}">${escapeHtml(label)}</text>`);
  }
  y += 48;
  const missing = buses.some((bus) => !Number.isFinite(spec.busVPu[bus.index] ?? Number.NaN));
  if (missing) {
    parts.push(
      `<g transform="translate(${LEGEND_LEFT - 6} ${y - 4})">${legendMark({ color: NO_VOLTAGE_COLOR, mark: 'dot' })}<text x="26" y="0" dy="0.35em">no voltage (power flow failed)</text></g>`,
    );
    y += 26;
  }
  heading('Circle size: homes at the bus');
  const mostHomes = Math.max(0, ...buses.map((bus) => bus.homes));
  const samples = mostHomes > 0 ? [0, mostHomes] : [0];
  let x = LEGEND_LEFT;
  const sampleY = y + MIN_RADIUS + EXTRA_RADIUS_FOR_MOST_HOMES - 4;
  for (const homes of samples) {
    const radius = radiusFor(homes, mostHomes);
    parts.push(
      `<circle cx="${coordinate(x + radius)}" cy="${coordinate(sampleY)}" r="${coordinate(radius)}" fill="#fff" stroke="#1f2328" stroke-width="1"/>`,
      `<text x="${coordinate(x + 2 * radius + 6)}" y="${coordinate(sampleY)}" dy="0.35em">${formatNumber(homes, 0)}</text>`,
    );
    x += 2 * radius + 40;
  }
  y += 2 * (MIN_RADIUS + EXTRA_RADIUS_FOR_MOST_HOMES) + 14;
  heading('Branches');
  const kinds = [...new Set(spec.layout.branches.map((branch) => branch.kind))];
  for (const kind of kinds) {
    const style = branchStyle(kind);
    const dash = style.dash === '' ? '' : ` stroke-dasharray="${style.dash}"`;
    parts.push(
      `<g transform="translate(${LEGEND_LEFT} ${y})"><line x1="0" x2="28" y1="0" y2="0" stroke="${escapeHtml(style.color)}" stroke-width="${style.width}"${dash}/>` +
        `<text x="36" y="0" dy="0.35em">${escapeHtml(style.label)}</text></g>`,
    );
    y += 20;
  }
  return { markup: `<g class="legend">${parts.join('')}</g>`, height: y };
}
