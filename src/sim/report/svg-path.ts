/**
 * Turning point lists into SVG path data. Gaps (NaN) break the line rather than being drawn as zero,
 * and long series are thinned per pixel column so a year of 5-minute slots stays a small file while
 * every peak and trough still shows.
 */
import { coordinate } from './svg-scale.js';

const LONE_POINT_HALF_WIDTH = 4;

/** Pixel coordinates of a polyline; NaN in `ys` marks a gap. */
export interface Polyline {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
}

/** Contiguous runs of finite points, as [start, end) index pairs. */
export function finiteRuns(line: Polyline): [number, number][] {
  const runs: [number, number][] = [];
  let start = -1;
  for (let index = 0; index <= line.xs.length; index++) {
    const finite =
      index < line.xs.length && Number.isFinite(line.xs[index]) && Number.isFinite(line.ys[index]);
    if (finite && start < 0) start = index;
    if (!finite && start >= 0) {
      runs.push([start, index]);
      start = -1;
    }
  }
  return runs;
}

/** "M x y L x y ..." for each run of finite points. */
export function pathData(line: Polyline): string {
  let data = '';
  for (const [start, end] of finiteRuns(line)) {
    if (end - start === 1) {
      // A lone point (one value between gaps) would draw nothing; a short tick shows it.
      const x = (line.xs[start] ?? 0) - LONE_POINT_HALF_WIDTH;
      data += `M${coordinate(x)} ${coordinate(line.ys[start] ?? 0)}h${2 * LONE_POINT_HALF_WIDTH}`;
      continue;
    }
    const thinned = thinToPixelColumns(line, start, end);
    thinned.forEach((index, position) => {
      data += `${position === 0 ? 'M' : 'L'}${coordinate(line.xs[index] ?? 0)} ${coordinate(line.ys[index] ?? 0)}`;
    });
  }
  return data;
}

/**
 * Indices to keep from [start, end): in each whole-pixel column the first, lowest, highest and last
 * point (M4 aggregation), which draws the same picture as all the points.
 */
export function thinToPixelColumns(line: Polyline, start: number, end: number): number[] {
  const kept: number[] = [];
  let index = start;
  while (index < end) {
    const column = Math.floor(line.xs[index] ?? 0);
    let last = index;
    let lowest = index;
    let highest = index;
    while (last + 1 < end && Math.floor(line.xs[last + 1] ?? 0) === column) {
      last++;
      if ((line.ys[last] ?? 0) < (line.ys[lowest] ?? 0)) lowest = last;
      if ((line.ys[last] ?? 0) > (line.ys[highest] ?? 0)) highest = last;
    }
    const inColumn = [...new Set([index, lowest, highest, last])].sort((a, b) => a - b);
    kept.push(...inColumn);
    index = last + 1;
  }
  return kept;
}
