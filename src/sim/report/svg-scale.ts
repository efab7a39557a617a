/** Linear scales and "nice" tick values (1, 2, 2.5, 5 × 10^k) for the SVG charts. */

export interface Domain {
  readonly min: number;
  readonly max: number;
}

export interface NiceTicks {
  readonly domain: Domain;
  readonly values: readonly number[];
  readonly step: number;
}

/** Maps domain to range linearly; a zero-width domain maps everything to the range middle. */
export function linearScale(domain: Domain, rangeStart: number, rangeEnd: number): (value: number) => number {
  const span = domain.max - domain.min;
  if (!(span > 0)) return () => (rangeStart + rangeEnd) / 2;
  const factor = (rangeEnd - rangeStart) / span;
  return (value) => rangeStart + (value - domain.min) * factor;
}

/** Smallest and largest finite value of all the arrays, or undefined when there is none. */
export function finiteExtent(arrays: readonly ArrayLike<number>[]): Domain | undefined {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const values of arrays) {
    for (let index = 0; index < values.length; index++) {
      const value = values[index] ?? Number.NaN;
      if (!Number.isFinite(value)) continue;
      if (value < min) min = value;
      if (value > max) max = value;
    }
  }
  return min <= max ? { min, max } : undefined;
}

/**
 * About `targetCount` ticks on round numbers, with the domain widened to the outer ticks. A flat
 * domain (all values equal, e.g. all zeros) is widened around its value so the line is visible.
 */
export function niceTicks(extent: Domain | undefined, targetCount = 5): NiceTicks {
  let { min, max } = extent ?? { min: 0, max: 1 };
  if (max - min < 1e-12 * Math.max(1, Math.abs(max))) {
    // All zeros (no market activity, no load) reads best as a line at the bottom of 0..1.
    if (min === 0) max = 1;
    else {
      const half = Math.abs(min) * 0.1;
      min -= half;
      max += half;
    }
  }
  const step = niceStep((max - min) / Math.max(1, targetCount));
  const first = Math.floor(min / step + 1e-9);
  const last = Math.ceil(max / step - 1e-9);
  const values: number[] = [];
  for (let index = first; index <= last; index++) values.push(cleanFloat(index * step));
  return { domain: { min: cleanFloat(first * step), max: cleanFloat(last * step) }, values, step };
}

function niceStep(rough: number): number {
  const magnitude = 10 ** Math.floor(Math.log10(rough));
  const fraction = rough / magnitude;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 2.5 ? 2.5 : fraction <= 5 ? 5 : 10;
  return nice * magnitude;
}

/** Removes float noise from tick values (0.1 * 3 = 0.30000000000000004). */
function cleanFloat(value: number): number {
  const cleaned = Number(value.toPrecision(12));
  return cleaned === 0 ? 0 : cleaned;
}

/** Coordinates with one decimal: enough for screen and print, and keeps the file small. */
export function coordinate(value: number): string {
  const text = value.toFixed(1);
  return text.endsWith('.0') ? text.slice(0, -2) : text === '-0' ? '0' : text;
}
