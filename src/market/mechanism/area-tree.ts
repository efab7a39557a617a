/**
 * The grid areas a market spans, as a tree (e.g. feeder section → feeder → substation → grid): each area
 * has a parent (-1 at the root) and a grid fee per kWh that every trade crossing it pays, Grid
 * Singularity style. A trade between two leaves crosses every area on the path up to (not including)
 * their lowest common ancestor from both sides, plus that ancestor itself.
 */
export interface AreaTree {
  readonly names: readonly string[];
  readonly parent: Int32Array;
  readonly feePerKwh: Float64Array;
  /** Largest power (kW) that may flow into or out of the area, Infinity when unlimited. */
  readonly capacityKw: Float64Array;
}

export function areaTree(
  areas: readonly { name: string; parent: string | null; feePerKwh?: number; capacityKw?: number }[],
): AreaTree {
  const index = new Map(areas.map((a, i) => [a.name, i]));
  return {
    names: areas.map((a) => a.name),
    parent: Int32Array.from(areas, (a) => (a.parent === null ? -1 : (index.get(a.parent) ?? -1))),
    feePerKwh: Float64Array.from(areas, (a) => a.feePerKwh ?? 0),
    capacityKw: Float64Array.from(areas, (a) => a.capacityKw ?? Number.POSITIVE_INFINITY),
  };
}

/** Areas from `area` up to the root, `area` first. */
export function pathToRoot(tree: AreaTree, area: number): number[] {
  const path: number[] = [];
  for (let a = area; a >= 0 && path.length <= tree.names.length; a = tree.parent[a] ?? -1) path.push(a);
  return path;
}

/**
 * The areas a trade between a seller in `from` and a buyer in `to` crosses: both paths up to the lowest
 * common ancestor, which is included once. A trade inside one area crosses only that area.
 */
export function areasCrossed(tree: AreaTree, from: number, to: number): number[] {
  if (from < 0 || to < 0) return [];
  const up = pathToRoot(tree, from);
  const down = pathToRoot(tree, to);
  const onDown = new Set(down);
  const common = up.find((a) => onDown.has(a));
  if (common === undefined) return [...up, ...down];
  const crossed = up.slice(0, up.indexOf(common) + 1);
  for (const a of down) {
    if (a === common) break;
    crossed.push(a);
  }
  return crossed;
}

/** The grid fee per kWh a trade from `from` to `to` pays: the sum of the fees of the areas it crosses. */
export function gridFeePerKwh(tree: AreaTree | undefined, from: number, to: number): number {
  if (tree === undefined) return 0;
  let fee = 0;
  for (const a of areasCrossed(tree, from, to)) fee += tree.feePerKwh[a] ?? 0;
  return fee;
}
