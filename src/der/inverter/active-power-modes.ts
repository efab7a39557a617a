/**
 * Active power functions: voltage-active power (volt-watt, IEEE 1547-2018 clause 5.4.2) and frequency
 * droop (clause 6.5.2.7). Active power at the device interface is in the load reference, per unit of
 * P_rated: generation = −pPu.
 */
import { NOMINAL_FREQUENCY_HZ } from './ieee1547-defaults.js';
import { interpolateCurve } from './piecewise-curve.js';
import type {
  FrequencyDroopSettings,
  InverterFunctions,
  InverterRating,
  VoltWattPoint,
  VoltWattSettings,
} from './inverter-settings.js';

const voltageOf = (point: VoltWattPoint): number => point.vPu;
const pGenerationOf = (point: VoltWattPoint): number => point.pGenerationPu;

/** The most the DER may generate at vPu, per unit of P_rated (negative: it must absorb that much). */
export function voltWattGenerationLimitPu(vPu: number, settings: Pick<VoltWattSettings, 'points'>): number {
  return interpolateCurve(settings.points, vPu, voltageOf, pGenerationOf);
}

/**
 * Volt-watt applied to a desired active power: generation is cut to the curve's limit. For storage a
 * negative limit turns discharging into charging (and raises charging to at least that much).
 */
export function voltWattPu(
  pDesiredPu: number,
  vPu: number,
  settings: Pick<VoltWattSettings, 'points'>,
): number {
  return Math.max(pDesiredPu, -voltWattGenerationLimitPu(vPu, settings));
}

/**
 * The droop's change of generation at frequencyHz, per unit of P_rated, before headroom limits:
 * −(f − (f_N + db_OF)) / (f_N·k_OF) above the over-frequency deadband, +((f_N − db_UF) − f) / (f_N·k_UF)
 * below the under-frequency deadband, 0 inside.
 */
export function frequencyDroopGenerationChangePu(
  frequencyHz: number,
  settings: Pick<FrequencyDroopSettings, 'dbOfHz' | 'dbUfHz' | 'kOf' | 'kUf'>,
): number {
  const overHz = frequencyHz - (NOMINAL_FREQUENCY_HZ + settings.dbOfHz);
  if (overHz > 0) return -overHz / (NOMINAL_FREQUENCY_HZ * settings.kOf);
  const underHz = NOMINAL_FREQUENCY_HZ - settings.dbUfHz - frequencyHz;
  if (underHz > 0) return underHz / (NOMINAL_FREQUENCY_HZ * settings.kUf);
  return 0;
}

/**
 * Applies a droop change to the pre-disturbance power with the headroom rules: generation may fall to
 * P_min (never raised by an over-frequency event if it is already below) and rise only to the available
 * power (a PV inverter at its available power has no upward headroom and does not respond to
 * under-frequency).
 */
export function applyGenerationChangePu(
  pPrePu: number,
  generationChangePu: number,
  pMinGenerationPu: number,
  pAvailableGenerationPu: number,
): number {
  const generationPrePu = -pPrePu;
  let generationPu = generationPrePu + generationChangePu;
  if (generationChangePu < 0)
    generationPu = Math.max(generationPu, Math.min(generationPrePu, pMinGenerationPu));
  if (generationChangePu > 0)
    generationPu = Math.min(generationPu, Math.max(generationPrePu, pAvailableGenerationPu));
  return -generationPu;
}

/** Frequency droop from the pre-disturbance power pPrePu (load reference). */
export function frequencyDroopPu(
  frequencyHz: number,
  pPrePu: number,
  settings: FrequencyDroopSettings,
  pAvailableGenerationPu: number,
): number {
  return applyGenerationChangePu(
    pPrePu,
    frequencyDroopGenerationChangePu(frequencyHz, settings),
    settings.pMinGenerationPu,
    pAvailableGenerationPu,
  );
}

/** Active power after the enabled functions, within what the device can do now. */
export function activePowerTargetPu(
  functions: Pick<InverterFunctions, 'voltWatt' | 'frequencyDroop'>,
  rating: InverterRating,
  vPu: number,
  frequencyHz: number,
  pDesiredPu: number,
  pAvailableGenerationPu: number,
): number {
  let pPu = pDesiredPu;
  if (functions.voltWatt !== undefined) pPu = voltWattPu(pPu, vPu, functions.voltWatt);
  if (functions.frequencyDroop !== undefined) {
    pPu = frequencyDroopPu(frequencyHz, pPu, functions.frequencyDroop, pAvailableGenerationPu);
  }
  const maxAbsorbPu = rating.pMaxAbsorbKw / rating.pRatedKw;
  return Math.min(maxAbsorbPu, Math.max(-Math.max(0, pAvailableGenerationPu), pPu));
}
