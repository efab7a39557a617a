/**
 * The community energy-flow picture without the drawing: device samples summed by kind (load
 * reference: positive draws from the homes' bus, negative feeds it), the nodes' places, and each
 * arrow's direction, width and colour. Kinds are the DER models' own (src/der).
 */
import type { LatestDevice } from '../market/contracts';

export const FLOW_KINDS = ['pv', 'battery', 'ev', 'water-heater', 'hvac', 'base-load'] as const;

export const KIND_LABELS: Readonly<Record<string, string>> = {
  pv: 'PV',
  battery: 'Batteries',
  ev: 'EVs',
  'water-heater': 'Water heaters',
  hvac: 'Air conditioning',
  'base-load': 'Other load',
};

export interface KindTotal {
  readonly kind: string;
  /** Sum of the latest samples, kW (load reference). */
  readonly powerKw: number;
  readonly devices: number;
  /** Mean state of charge of the devices that report one, %. */
  readonly socPct?: number;
  readonly newestMs: number;
}

/** One total per kind present, in FLOW_KINDS order, other kinds after by name. */
export function aggregateByKind(devices: readonly LatestDevice[]): KindTotal[] {
  const byKind = new Map<
    string,
    { powerKw: number; devices: number; socSum: number; socCount: number; newestMs: number }
  >();
  for (const device of devices) {
    const powerKw = device.sample.powerKw;
    if (!Number.isFinite(powerKw)) continue;
    const total = byKind.get(device.kind) ?? { powerKw: 0, devices: 0, socSum: 0, socCount: 0, newestMs: 0 };
    total.powerKw += powerKw;
    total.devices += 1;
    if (device.sample.socPct !== undefined && Number.isFinite(device.sample.socPct)) {
      total.socSum += device.sample.socPct;
      total.socCount += 1;
    }
    total.newestMs = Math.max(total.newestMs, device.sample.timeMs);
    byKind.set(device.kind, total);
  }
  const rank = (kind: string) => {
    const index = (FLOW_KINDS as readonly string[]).indexOf(kind);
    return index === -1 ? FLOW_KINDS.length : index;
  };
  return [...byKind.entries()]
    .sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b))
    .map(([kind, t]) => ({
      kind,
      powerKw: t.powerKw,
      devices: t.devices,
      ...(t.socCount === 0 ? {} : { socPct: t.socSum / t.socCount }),
      newestMs: t.newestMs,
    }));
}

/** What the homes draw in all (positive) or feed back (negative): every kind's total summed. */
export function homesNetKw(totals: readonly KindTotal[]): number {
  return totals.reduce((sum, t) => sum + t.powerKw, 0);
}

/** Consumption only: the kinds drawing power, PV and discharging batteries left out. */
export function communityLoadKw(totals: readonly KindTotal[]): number {
  return totals.reduce((sum, t) => sum + Math.max(0, t.powerKw), 0);
}

export interface FlowNode {
  readonly id: string;
  readonly label: string;
  readonly x: number;
  readonly y: number;
}

export interface FlowArrow {
  readonly id: string;
  readonly from: FlowNode;
  readonly to: FlowNode;
  /** The power the arrow carries, kW; its sign already turned into the arrow's direction. */
  readonly powerKw: number;
  readonly widthPx: number;
  /** 'import': power drawn towards the homes' loads; 'export': fed back towards the grid. */
  readonly tone: 'import' | 'export' | 'idle';
}

export interface FlowLayout {
  readonly width: number;
  readonly height: number;
  readonly nodes: readonly FlowNode[];
  readonly arrows: readonly FlowArrow[];
}

const IDLE_KW = 0.05;
export const MIN_ARROW_PX = 1.5;
export const MAX_ARROW_PX = 16;

/** Width grows with the square root of power so a 2 kW EV still shows next to a 400 kW feeder. */
export function arrowWidthPx(powerKw: number, maxKw: number): number {
  const magnitude = Math.abs(powerKw);
  if (!(magnitude > IDLE_KW) || !(maxKw > 0)) return MIN_ARROW_PX;
  const share = Math.min(1, Math.sqrt(magnitude / maxKw));
  return Math.round((MIN_ARROW_PX + (MAX_ARROW_PX - MIN_ARROW_PX) * share) * 10) / 10;
}

/** Room for one row of nodes, or 60 px per device kind. */
export function flowHeight(kinds: number): number {
  return kinds <= 1 ? 150 : Math.max(240, 60 * kinds + 20);
}

export interface FlowInput {
  readonly kinds: readonly KindTotal[];
  /** Grid to substation, kW, import positive; undefined when unknown. */
  readonly substationKw: number | undefined;
  /** Substation to homes, kW, import positive; the substation figure when the homes' sum is unknown. */
  readonly homesKw: number | undefined;
}

/**
 * Grid on the left, the substation, the homes' bus in the middle and one node per device kind on the
 * right, spread evenly top to bottom. A positive (load-reference) flow points from the grid towards
 * the devices and is coloured as import; a negative one points back and is coloured as export.
 */
export function flowLayout(
  input: FlowInput,
  width = 760,
  height = flowHeight(input.kinds.length),
): FlowLayout {
  const mid = height / 2;
  // Without device kinds the three nodes take the whole width.
  const spread = input.kinds.length === 0 ? [0.12, 0.5, 0.88] : [0.08, 0.3, 0.55];
  const grid: FlowNode = { id: 'grid', label: 'Grid', x: width * (spread[0] as number), y: mid };
  const substation: FlowNode = {
    id: 'substation',
    label: 'Substation',
    x: width * (spread[1] as number),
    y: mid,
  };
  const homes: FlowNode = { id: 'homes', label: 'Homes', x: width * (spread[2] as number), y: mid };
  const count = input.kinds.length;
  const kindNodes = input.kinds.map((k, i): FlowNode => ({
    id: k.kind,
    label: KIND_LABELS[k.kind] ?? k.kind,
    x: width * 0.74,
    y: count === 1 ? mid : 30 + ((height - 60) * i) / (count - 1),
  }));
  const powers = [input.substationKw, input.homesKw, ...input.kinds.map((k) => k.powerKw)];
  const maxKw = Math.max(0, ...powers.map((p) => Math.abs(p ?? 0)));
  const arrow = (id: string, a: FlowNode, b: FlowNode, powerKw: number | undefined): FlowArrow => {
    const p = powerKw ?? 0;
    const idle = !(Math.abs(p) > IDLE_KW);
    return {
      id,
      from: p < 0 ? b : a,
      to: p < 0 ? a : b,
      powerKw: Math.abs(p),
      widthPx: arrowWidthPx(p, maxKw),
      tone: powerKw === undefined || idle ? 'idle' : p > 0 ? 'import' : 'export',
    };
  };
  const arrows: FlowArrow[] = [
    arrow('grid-substation', grid, substation, input.substationKw),
    arrow('substation-homes', substation, homes, input.homesKw),
    ...input.kinds.map((k, i) => arrow(`homes-${k.kind}`, homes, kindNodes[i] as FlowNode, k.powerKw)),
  ];
  return { width, height, nodes: [grid, substation, homes, ...kindNodes], arrows };
}
