/**
 * The steady-state operating point of an inverter: its active power functions, then its reactive mode
 * at the resulting active power, then its limits with the configured priority. This is what the
 * controller converges to when the measurements hold still, and what the outer loop iterates.
 */
import { activePowerTargetPu } from './active-power-modes.js';
import type { InverterSettings } from './inverter-settings.js';
import type { InverterCommand } from './power-limits.js';
import { reactivePowerCommand } from './reactive-power-modes.js';

export interface InverterMeasurement {
  readonly vPu: number;
  readonly frequencyHz: number;
  /** What the device would do without grid support: load reference, per unit of P_rated. */
  readonly pDesiredPu: number;
  /** The most it can generate now (PV: available power; storage: discharge limit), per unit, ≥ 0. */
  readonly pAvailableGenerationPu: number;
}

export function inverterCommand(
  settings: InverterSettings,
  measurement: InverterMeasurement,
  vrefPu?: number,
): InverterCommand {
  const pPu = activePowerTargetPu(
    settings,
    settings.rating,
    measurement.vPu,
    measurement.frequencyHz,
    measurement.pDesiredPu,
    measurement.pAvailableGenerationPu,
  );
  return reactivePowerCommand(
    settings.reactive,
    measurement.vPu,
    pPu,
    settings.rating,
    settings.priority,
    vrefPu,
  );
}
