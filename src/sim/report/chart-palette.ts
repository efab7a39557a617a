/**
 * Colours of the report charts: TE and baseline stay the same colours in every chart, and the device
 * kinds use the Okabe–Ito palette, which colour-blind readers can tell apart (its yellow left out
 * because it vanishes on white paper).
 */
export const TE_COLOR = '#0b63c4';
export const BASELINE_COLOR = '#6e7781';
export const CAPACITY_COLOR = '#cf222e';
export const DEMAND_COLOR = '#0b63c4';
export const SUPPLY_COLOR = '#d55e00';
export const CLEARING_COLOR = '#1f2328';

const KIND_COLORS = ['#0072b2', '#e69f00', '#009e73', '#d55e00', '#cc79a7', '#56b4e9', '#000000', '#8c6d1f'];

export function kindColor(index: number): string {
  return KIND_COLORS[index % KIND_COLORS.length] ?? '#000000';
}
