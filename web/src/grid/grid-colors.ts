/**
 * How the feeder map colours its elements. Buses: a diverging scale around 1.0 pu, red at and below the
 * ANSI C84.1 Range A floor (0.95 pu), green at 1.0, blue at and above the ceiling (1.05 pu); a bus is
 * coloured by whichever of its phase voltages lies further from 1.0, so a low phase is never hidden by
 * a high one. Lines: grey when lightly loaded, through amber to red at the rating, wider as they load.
 */
export const RANGE_A_MIN_PU = 0.95;
export const RANGE_A_MAX_PU = 1.05;
export const NO_VALUE_COLOR = '#afb8c1';

interface Stop {
  readonly at: number;
  readonly rgb: readonly [number, number, number];
}

export const VOLTAGE_STOPS: readonly Stop[] = [
  { at: 0.95, rgb: [215, 25, 28] },
  { at: 0.9667, rgb: [240, 128, 40] },
  { at: 0.9833, rgb: [225, 195, 45] },
  { at: 1.0, rgb: [26, 150, 65] },
  { at: 1.025, rgb: [48, 160, 178] },
  { at: 1.05, rgb: [43, 84, 196] },
];

const LOADING_STOPS: readonly Stop[] = [
  { at: 0, rgb: [140, 149, 159] },
  { at: 50, rgb: [140, 149, 159] },
  { at: 80, rgb: [214, 158, 46] },
  { at: 100, rgb: [192, 57, 43] },
];

export const OVERLOAD_PCT = 100;

export function voltageColor(vPu: number | null | undefined): string {
  return vPu === null || vPu === undefined ? NO_VALUE_COLOR : rampColor(VOLTAGE_STOPS, vPu);
}

export function loadingColor(loadingPct: number | null | undefined): string {
  return loadingPct === null || loadingPct === undefined
    ? NO_VALUE_COLOR
    : rampColor(LOADING_STOPS, loadingPct);
}

/** Stroke width of a line, SVG units: 2 unloaded, 8 at 150 % and above. */
export function loadingWidth(loadingPct: number | null | undefined): number {
  if (loadingPct === null || loadingPct === undefined || !Number.isFinite(loadingPct)) return 2;
  return 2 + (6 * Math.min(150, Math.max(0, loadingPct))) / 150;
}

/** The voltage a bus is shown with: of its lowest and highest phase, the one further from 1.0 pu. */
export function busDisplayVPu(
  vMinPu: number | null | undefined,
  vMaxPu: number | null | undefined,
): number | undefined {
  const low = vMinPu ?? undefined;
  const high = vMaxPu ?? undefined;
  if (low === undefined || !Number.isFinite(low))
    return high !== undefined && Number.isFinite(high) ? high : undefined;
  if (high === undefined || !Number.isFinite(high)) return low;
  return Math.abs(high - 1) > Math.abs(low - 1) ? high : low;
}

export function isInRangeA(vPu: number): boolean {
  return vPu >= RANGE_A_MIN_PU - 1e-9 && vPu <= RANGE_A_MAX_PU + 1e-9;
}

function rampColor(stops: readonly Stop[], value: number): string {
  if (!Number.isFinite(value)) return NO_VALUE_COLOR;
  const first = stops[0];
  const last = stops[stops.length - 1];
  if (first === undefined || last === undefined) return NO_VALUE_COLOR;
  if (value <= first.at) return hex(first.rgb);
  for (let index = 1; index < stops.length; index++) {
    const low = stops[index - 1];
    const high = stops[index];
    if (low === undefined || high === undefined || value > high.at) continue;
    const t = (value - low.at) / (high.at - low.at);
    return hex(low.rgb.map((channel, c) => channel + t * ((high.rgb[c] ?? channel) - channel)));
  }
  return hex(last.rgb);
}

export function hex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}
