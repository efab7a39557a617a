/**
 * Grid fee and distance between two areas, memoised for one clearing: trees are small and trades many,
 * so each pair of areas is walked once.
 */
import { areasCrossed, type AreaTree } from '../mechanism/area-tree.js';

export type AreaPairLookup = (sellArea: number, buyArea: number) => number;

function memoised(tree: AreaTree, compute: (from: number, to: number) => number): AreaPairLookup {
  const areas = tree.names.length;
  const cache = new Float64Array(areas * areas).fill(Number.NaN);
  return (sellArea, buyArea) => {
    if (sellArea < 0 || buyArea < 0 || sellArea >= areas || buyArea >= areas)
      return compute(sellArea, buyArea);
    const at = sellArea * areas + buyArea;
    let value = cache[at] as number;
    if (Number.isNaN(value)) {
      value = compute(sellArea, buyArea);
      cache[at] = value;
    }
    return value;
  };
}

/** Grid fee per kWh a trade from `sellArea` to `buyArea` pays; 0 without areas or outside the tree. */
export function feeLookup(tree: AreaTree | undefined): AreaPairLookup {
  if (tree === undefined) return () => 0;
  const areas = tree.names.length;
  return memoised(tree, (from, to) => {
    if (from < 0 || to < 0 || from >= areas || to >= areas) return 0;
    let fee = 0;
    for (const area of areasCrossed(tree, from, to)) fee += tree.feePerKwh[area] ?? 0;
    return fee;
  });
}

/**
 * How far apart two areas are: the number of areas a trade between them crosses (1 inside one area).
 * 0 for everyone without areas; a row without a known area is farthest from everything.
 */
export function distanceLookup(tree: AreaTree | undefined): AreaPairLookup {
  if (tree === undefined) return () => 0;
  const areas = tree.names.length;
  return memoised(tree, (from, to) =>
    from < 0 || to < 0 || from >= areas || to >= areas
      ? Number.POSITIVE_INFINITY
      : areasCrossed(tree, from, to).length,
  );
}
