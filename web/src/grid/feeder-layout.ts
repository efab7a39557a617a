/**
 * The feeder's drawing fitted into an SVG box: one scale for both axes so the shape is true, north up
 * (a larger yM is drawn higher; SVG y grows downwards), a margin for circles and labels. Buses the
 * feeder gives no coordinates are placed at the middle of their placed neighbours, and any still
 * unplaced (an island without coordinates) in a row along the bottom, so every bus the API lists is drawn.
 */
import type { FeederBus, FeederLine } from './grid-contract';

export interface LayoutBox {
  /** Width of the drawing in SVG units (the viewBox; the SVG itself scales to its container). */
  readonly width: number;
  /** The most height the drawing may take; a flat feeder takes less. */
  readonly maxHeight: number;
  readonly pad: number;
}

export interface PlacedBus {
  readonly id: string;
  readonly x: number;
  readonly y: number;
  /** False when the position was inferred (no coordinates in the feeder). */
  readonly surveyed: boolean;
}

export interface PlacedLine {
  readonly id: string;
  readonly fromBus: string;
  readonly toBus: string;
  readonly x1: number;
  readonly y1: number;
  readonly x2: number;
  readonly y2: number;
}

export interface FeederLayout {
  readonly width: number;
  readonly height: number;
  readonly buses: readonly PlacedBus[];
  readonly lines: readonly PlacedLine[];
}

const MIN_BUS_RADIUS = 6;
const EXTRA_RADIUS_FOR_MOST = 7;

/**
 * A bus's circle grows with the connections on it (area in proportion), so where the homes are shows
 * at a glance; buses without any (or a role that sees no connections) keep the smallest circle.
 */
export function busRadius(connections: number, mostConnections: number): number {
  if (!(connections > 0) || !(mostConnections > 0)) return MIN_BUS_RADIUS;
  return MIN_BUS_RADIUS + EXTRA_RADIUS_FOR_MOST * Math.sqrt(Math.min(1, connections / mostConnections));
}

export const DEFAULT_BOX: LayoutBox = { width: 800, maxHeight: 560, pad: 36 };

export function layoutFeeder(
  buses: readonly FeederBus[],
  lines: readonly FeederLine[],
  box: LayoutBox = DEFAULT_BOX,
): FeederLayout {
  const world = worldPositions(buses, lines);
  const placed = [...world.values()];
  if (placed.length === 0) return { width: box.width, height: 2 * box.pad, buses: [], lines: [] };
  const minX = Math.min(...placed.map((p) => p.x));
  const maxX = Math.max(...placed.map((p) => p.x));
  const minY = Math.min(...placed.map((p) => p.y));
  const maxY = Math.max(...placed.map((p) => p.y));
  const spanX = maxX - minX;
  const spanY = maxY - minY;
  const innerWidth = box.width - 2 * box.pad;
  const innerHeight = box.maxHeight - 2 * box.pad;
  const scale = Math.min(
    spanX > 0 ? innerWidth / spanX : Number.POSITIVE_INFINITY,
    spanY > 0 ? innerHeight / spanY : Number.POSITIVE_INFINITY,
  );
  const factor = Number.isFinite(scale) ? scale : 0;
  const drawnWidth = spanX * factor;
  const height = spanY > 0 ? spanY * factor + 2 * box.pad : 2 * box.pad + 40;
  // Centred horizontally when the feeder is taller than wide.
  const left = box.pad + (innerWidth - drawnWidth) / 2;
  const at = (p: { x: number; y: number }) => ({
    x: spanX > 0 ? left + (p.x - minX) * factor : box.width / 2,
    y: spanY > 0 ? box.pad + (maxY - p.y) * factor : height / 2,
  });
  const placedBuses = buses.flatMap((bus) => {
    const p = world.get(bus.id);
    return p === undefined ? [] : [{ id: bus.id, ...at(p), surveyed: p.surveyed }];
  });
  const byId = new Map(placedBuses.map((bus) => [bus.id, bus]));
  const placedLines = lines.flatMap((line) => {
    const from = byId.get(line.fromBus);
    const to = byId.get(line.toBus);
    if (from === undefined || to === undefined) return [];
    return [
      { id: line.id, fromBus: line.fromBus, toBus: line.toBus, x1: from.x, y1: from.y, x2: to.x, y2: to.y },
    ];
  });
  return { width: box.width, height, buses: placedBuses, lines: placedLines };
}

interface WorldPoint {
  readonly x: number;
  readonly y: number;
  readonly surveyed: boolean;
}

function hasCoordinates(bus: FeederBus): bus is FeederBus & { xM: number; yM: number } {
  return bus.xM !== null && bus.yM !== null && Number.isFinite(bus.xM) && Number.isFinite(bus.yM);
}

/** Positions in the feeder's own metres, inferred ones included. */
function worldPositions(buses: readonly FeederBus[], lines: readonly FeederLine[]): Map<string, WorldPoint> {
  const world = new Map<string, WorldPoint>();
  for (const bus of buses)
    if (hasCoordinates(bus)) world.set(bus.id, { x: bus.xM, y: bus.yM, surveyed: true });
  const neighbours = new Map<string, string[]>();
  for (const line of lines) {
    neighbours.set(line.fromBus, [...(neighbours.get(line.fromBus) ?? []), line.toBus]);
    neighbours.set(line.toBus, [...(neighbours.get(line.toBus) ?? []), line.fromBus]);
  }
  // Each pass places the buses next to placed ones; a chain of unsurveyed buses takes a pass per link.
  for (let changed = true; changed;) {
    changed = false;
    for (const bus of buses) {
      if (world.has(bus.id)) continue;
      const known = (neighbours.get(bus.id) ?? []).flatMap((n) => {
        const p = world.get(n);
        return p === undefined ? [] : [p];
      });
      if (known.length === 0) continue;
      const x = known.reduce((sum, p) => sum + p.x, 0) / known.length;
      const y = known.reduce((sum, p) => sum + p.y, 0) / known.length;
      // A lone neighbour would put both on one spot: step aside, downwards (away from the source).
      const offset = known.length === 1 ? spacingOf(world) : 0;
      world.set(bus.id, { x: x + offset / 2, y: y - offset, surveyed: false });
      changed = true;
    }
  }
  const rest = buses.filter((bus) => !world.has(bus.id));
  if (rest.length > 0) {
    const points = [...world.values()];
    const spacing = spacingOf(world);
    const minX = points.length === 0 ? 0 : Math.min(...points.map((p) => p.x));
    const bottom = points.length === 0 ? 0 : Math.min(...points.map((p) => p.y)) - spacing;
    rest.forEach((bus, index) =>
      world.set(bus.id, { x: minX + index * spacing, y: bottom, surveyed: false }),
    );
  }
  return world;
}

/** A tenth of the drawing's larger span (1 m for a drawing of one point): a spacing that looks related. */
function spacingOf(world: Map<string, WorldPoint>): number {
  const points = [...world.values()];
  if (points.length < 2) return 1;
  const spanX = Math.max(...points.map((p) => p.x)) - Math.min(...points.map((p) => p.x));
  const spanY = Math.max(...points.map((p) => p.y)) - Math.min(...points.map((p) => p.y));
  return Math.max(spanX, spanY) / 10 || 1;
}
