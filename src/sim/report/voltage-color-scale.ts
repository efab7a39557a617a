/**
 * The diverging colour scale of bus voltages: red at and below the ANSI C84.1 Range A floor (0.95 pu),
 * green at 1 pu, blue at and above the ceiling (1.05 pu). Orange, yellow and teal in between keep the ramp
 * from passing through muddy brown, and a darker red or blue would suggest a second threshold that the
 * standard does not have.
 */
export const RANGE_A_MIN_PU = 0.95;
export const RANGE_A_MAX_PU = 1.05;
/** Buses without a voltage (the power flow failed at that slot). */
export const NO_VOLTAGE_COLOR = '#afb8c1';

export const VOLTAGE_COLOR_STOPS: readonly { readonly vPu: number; readonly rgb: readonly number[] }[] = [
  { vPu: 0.95, rgb: [215, 25, 28] },
  { vPu: 0.9667, rgb: [240, 128, 40] },
  { vPu: 0.9833, rgb: [225, 195, 45] },
  { vPu: 1.0, rgb: [26, 150, 65] },
  { vPu: 1.025, rgb: [48, 160, 178] },
  { vPu: 1.05, rgb: [43, 84, 196] },
];

export function voltageColor(vPu: number): string {
  if (!Number.isFinite(vPu)) return NO_VOLTAGE_COLOR;
  const first = VOLTAGE_COLOR_STOPS[0];
  const last = VOLTAGE_COLOR_STOPS[VOLTAGE_COLOR_STOPS.length - 1];
  if (first === undefined || last === undefined) return NO_VOLTAGE_COLOR;
  if (vPu <= first.vPu) return hex(first.rgb);
  for (let index = 1; index < VOLTAGE_COLOR_STOPS.length; index++) {
    const low = VOLTAGE_COLOR_STOPS[index - 1];
    const high = VOLTAGE_COLOR_STOPS[index];
    if (low === undefined || high === undefined || vPu > high.vPu) continue;
    const t = (vPu - low.vPu) / (high.vPu - low.vPu);
    return hex(low.rgb.map((channel, c) => channel + t * ((high.rgb[c] ?? channel) - channel)));
  }
  return hex(last.rgb);
}

export function hex(rgb: readonly number[]): string {
  return `#${rgb.map((channel) => Math.round(channel).toString(16).padStart(2, '0')).join('')}`;
}
