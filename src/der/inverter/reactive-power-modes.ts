/**
 * The reactive power modes of IEEE 1547-2018 clause 5.3. Each *QPu function is the mode's target at the
 * device interface (load reference, see power-limits.ts); each *Command function also applies the
 * inverter's limits with the given priority.
 */
import { interpolateCurve } from './piecewise-curve.js';
import type { VoltVarPoint } from './ieee1547-defaults.js';
import type {
  ConstantPowerFactorMode,
  ConstantReactivePowerMode,
  InverterRating,
  PowerPriority,
  ReactivePowerMode,
  VoltVarMode,
  WattVarMode,
  WattVarPoint,
} from './inverter-settings.js';
import {
  limitKeepingPowerFactor,
  limitToCapability,
  qPuFromInjection,
  type InverterCommand,
} from './power-limits.js';

const voltageOf = (point: VoltVarPoint): number => point.vPu;
const qInjectionOf = (point: { readonly qInjectionPu: number }): number => point.qInjectionPu;
const pGenerationOf = (point: WattVarPoint): number => point.pGenerationPu;

/** Clause 5.3.2: |Q| = |P|·tan(acos(pf)) in kvar, per unit of S_rated; injecting gives negative qPu. */
export function constantPowerFactorQPu(
  pPu: number,
  mode: Pick<ConstantPowerFactorMode, 'powerFactor' | 'excitation'>,
  rating: InverterRating,
): number {
  const pf = mode.powerFactor;
  if (pf >= 1) return 0;
  const qMagnitudePu = (Math.abs(pPu) * rating.pRatedKw * Math.sqrt(1 - pf * pf)) / pf / rating.sRatedKva;
  return mode.excitation === 'injecting' ? -qMagnitudePu : qMagnitudePu;
}

export function constantReactivePowerQPu(mode: Pick<ConstantReactivePowerMode, 'qInjectionPu'>): number {
  return qPuFromInjection(mode.qInjectionPu);
}

/**
 * Clause 5.3.3. `vrefPu` is the reference in effect (the setting, or its autonomous adjustment); the
 * curve moves with it by (vrefPu − mode.vrefPu), as the standard shifts V1..V4 with V_ref.
 */
export function voltVarQPu(
  vPu: number,
  mode: Pick<VoltVarMode, 'points' | 'vrefPu'>,
  vrefPu: number = mode.vrefPu,
): number {
  const shiftPu = vrefPu - mode.vrefPu;
  return qPuFromInjection(interpolateCurve(mode.points, vPu - shiftPu, voltageOf, qInjectionOf));
}

/** Clause 5.3.4: Q from the active power output (generation = −pPu). */
export function wattVarQPu(pPu: number, mode: Pick<WattVarMode, 'points'>): number {
  return qPuFromInjection(interpolateCurve(mode.points, -pPu, pGenerationOf, qInjectionOf));
}

export function reactivePowerTargetQPu(
  mode: ReactivePowerMode,
  vPu: number,
  pPu: number,
  rating: InverterRating,
  vrefPu?: number,
): number {
  switch (mode.kind) {
    case 'constant-power-factor':
      return constantPowerFactorQPu(pPu, mode, rating);
    case 'constant-reactive-power':
      return constantReactivePowerQPu(mode);
    case 'volt-var':
      return voltVarQPu(vPu, mode, vrefPu ?? mode.vrefPu);
    case 'watt-var':
      return wattVarQPu(pPu, mode);
  }
}

/**
 * The limited command of a reactive mode for active power pPu and voltage vPu. Constant power factor
 * with reactive priority keeps the power factor (P and Q shrink together); every other case uses
 * limitToCapability with the priority.
 */
export function reactivePowerCommand(
  mode: ReactivePowerMode,
  vPu: number,
  pPu: number,
  rating: InverterRating,
  priority: PowerPriority,
  vrefPu?: number,
): InverterCommand {
  const qPu = reactivePowerTargetQPu(mode, vPu, pPu, rating, vrefPu);
  if (mode.kind === 'constant-power-factor' && priority === 'reactive') {
    return limitKeepingPowerFactor(pPu, qPu, rating);
  }
  return limitToCapability(pPu, qPu, rating, priority);
}
