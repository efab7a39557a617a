/**
 * Piecewise-linear curves held constant beyond their end points, the interpolation the IEEE 1547 curves
 * use (the UL 1741 SB test code evaluates them with numpy.interp). Accessors instead of a fixed point type
 * let each curve keep field names with units (vPu, qInjectionPu); passing module-level accessors keeps the
 * evaluation free of allocation.
 */
export function interpolateCurve<T>(
  points: readonly T[],
  x: number,
  xOf: (point: T) => number,
  yOf: (point: T) => number,
): number {
  const first = points[0];
  if (first === undefined) return 0;
  if (x <= xOf(first)) return yOf(first);
  let previous: T = first;
  for (let i = 1; i < points.length; i++) {
    const point = points[i] as T;
    const xHigh = xOf(point);
    if (x <= xHigh) {
      const xLow = xOf(previous);
      const spanX = xHigh - xLow;
      // A vertical step (equal x, as V2 = V3 in Category A) takes the value after the step.
      if (spanX <= 0) return yOf(point);
      const yLow = yOf(previous);
      return yLow + ((yOf(point) - yLow) * (x - xLow)) / spanX;
    }
    previous = point;
  }
  return yOf(previous);
}
