/**
 * The steady-state grid support of a device's inverter in kW and kvar, for the DER agents: what the
 * inverter would do at a measured voltage and frequency, given the power the device wants and can make.
 * Without inverter functions it answers unity power factor and no curtailment (the devices' behaviour
 * before these functions existed).
 */
import { NOMINAL_FREQUENCY_HZ } from './ieee1547-defaults.js';
import { inverterCommand } from './inverter-command.js';
import type { InverterFunctions, InverterRating } from './inverter-settings.js';

export interface GridSupportResponse {
  /** Active power after the inverter functions, load reference (negative = export). */
  readonly pKw: number;
  /** Reactive power, load reference: positive = absorbing (under-excited), negative = injecting. */
  readonly qKvar: number;
  /** Export given up or extra consumption ordered by the functions and limits (pKw − desired, ≥ 0). */
  readonly curtailedKw: number;
}

export function gridSupportResponse(
  functions: InverterFunctions | undefined,
  rating: InverterRating,
  vPu: number,
  frequencyHz: number = NOMINAL_FREQUENCY_HZ,
  pDesiredKw: number,
  pAvailableGenerationKw: number,
): GridSupportResponse {
  if (functions === undefined) return { pKw: pDesiredKw, qKvar: 0, curtailedKw: 0 };
  const command = inverterCommand(
    { ...functions, rating },
    {
      vPu,
      frequencyHz,
      pDesiredPu: pDesiredKw / rating.pRatedKw,
      pAvailableGenerationPu: pAvailableGenerationKw / rating.pRatedKw,
    },
  );
  const pKw = command.pPu * rating.pRatedKw;
  return { pKw, qKvar: command.qPu * rating.sRatedKva, curtailedKw: Math.max(0, pKw - pDesiredKw) };
}
