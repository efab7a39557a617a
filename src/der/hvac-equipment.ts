/**
 * Air conditioner and heat pump performance versus outdoor temperature, with the default performance
 * curves of GridLAB-D house_e (capacity and COP normalised to 1 at 95 °F for cooling and 47 °F for heat
 * pump heating).
 */

export type HeatingSystem = 'none' | 'gas' | 'resistance' | 'heat-pump';
export const HEATING_SYSTEMS: readonly HeatingSystem[] = ['none', 'gas', 'resistance', 'heat-pump'];

/** The curves are fitted over roughly this range; beyond it they are held at the end values. */
const COOLING_CURVE_MIN_F = 40;
const COOLING_CURVE_MAX_F = 130;
const HEAT_PUMP_CURVE_MIN_F = -10;
const HEAT_PUMP_CURVE_MAX_F = 80;

const clampTo = (value: number, min: number, max: number): number =>
  value < min ? min : value > max ? max : value;

export function coolingCapacityFactor(outdoorF: number): number {
  const t = clampTo(outdoorF, COOLING_CURVE_MIN_F, COOLING_CURVE_MAX_F);
  return 1.48924533 - 0.00514995 * t;
}

/** Multiplies the rated COP. */
export function coolingCopFactor(outdoorF: number): number {
  const t = clampTo(outdoorF, COOLING_CURVE_MIN_F, COOLING_CURVE_MAX_F);
  return 1 / (-0.01363961 + 0.01066989 * t);
}

export function heatPumpCapacityFactor(outdoorF: number): number {
  const t = clampTo(outdoorF, HEAT_PUMP_CURVE_MIN_F, HEAT_PUMP_CURVE_MAX_F);
  return 0.34148808 + 0.00894102 * t + 0.00010787 * t * t;
}

export function heatPumpCopFactor(outdoorF: number): number {
  const t = clampTo(outdoorF, HEAT_PUMP_CURVE_MIN_F, HEAT_PUMP_CURVE_MAX_F);
  return 1 / (2.03914613 - 0.03906753 * t + 0.00045617 * t * t - 0.00000203 * t * t * t);
}
