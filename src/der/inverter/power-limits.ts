/**
 * The device-interface command and the inverter's limits.
 *
 * Sign convention (DESIGN.md load reference, at the device interface):
 * - pPu: active power per unit of P_rated; positive = consumption (storage charging), negative =
 *   generation (PV output, storage discharging).
 * - qPu: reactive power per unit of S_rated; positive = absorbing (under-excited: the inverter looks like
 *   an inductive load and lowers the voltage), negative = injecting (over-excited: raises the voltage).
 * IEEE 1547 curves write reactive power positive for injection, so qPu = −qInjectionPu.
 */
import type { InverterRating, PowerPriority } from './inverter-settings.js';

export interface InverterCommand {
  readonly pPu: number;
  readonly qPu: number;
}

/** The mutable form that allocation-free code writes into. */
export interface InverterCommandBuffer {
  pPu: number;
  qPu: number;
}

export function qPuFromInjection(qInjectionPu: number): number {
  return -qInjectionPu;
}

export function commandInKw(
  command: InverterCommand,
  rating: InverterRating,
): { readonly pKw: number; readonly qKvar: number } {
  return { pKw: command.pPu * rating.pRatedKw, qKvar: command.qPu * rating.sRatedKva };
}

/** Active power bounds, load reference, per unit of P_rated: full output to full charging. */
export function activePowerBoundsPu(rating: InverterRating): {
  readonly minPu: number;
  readonly maxPu: number;
} {
  return { minPu: -1, maxPu: rating.pMaxAbsorbKw / rating.pRatedKw };
}

function clamp(value: number, min: number, max: number): number {
  return value < min ? min : value > max ? max : value;
}

/**
 * Limits (P, Q) to the active power range, the reactive capability and the kVA circle
 * (P·P_rated)² + (Q·S_rated)² ≤ S_rated². With 'reactive' priority Q keeps its value (within capability)
 * and |P| is reduced; with 'active' priority P keeps its value and |Q| is reduced.
 */
export function limitToCapability(
  pPu: number,
  qPu: number,
  rating: InverterRating,
  priority: PowerPriority,
  out: InverterCommandBuffer = { pPu: 0, qPu: 0 },
): InverterCommandBuffer {
  const pBaseRatio = rating.pRatedKw / rating.sRatedKva;
  let p = clamp(pPu, -1, rating.pMaxAbsorbKw / rating.pRatedKw);
  let q = clamp(
    qPu,
    -Math.min(1, rating.qMaxInjectionKvar / rating.sRatedKva),
    Math.min(1, rating.qMaxAbsorptionKvar / rating.sRatedKva),
  );
  const pS = p * pBaseRatio;
  if (pS * pS + q * q > 1) {
    if (priority === 'reactive') {
      const pMagnitudeMaxPu = Math.sqrt(Math.max(0, 1 - q * q)) / pBaseRatio;
      p = Math.sign(p) * Math.min(Math.abs(p), pMagnitudeMaxPu);
    } else {
      const pSClamped = Math.min(1, Math.abs(pS));
      p = (Math.sign(p) * pSClamped) / pBaseRatio;
      q = Math.sign(q) * Math.min(Math.abs(q), Math.sqrt(Math.max(0, 1 - pSClamped * pSClamped)));
    }
  }
  // + 0 turns −0 into 0 so that an idle command compares equal to zero.
  out.pPu = p + 0;
  out.qPu = q + 0;
  return out;
}

/**
 * Limits (P, Q) keeping their ratio, i.e. the power factor: both shrink by one factor until they fit the
 * active power range, the reactive capability and the kVA circle. Constant power factor with reactive
 * priority uses it, because there the power factor is the command.
 */
export function limitKeepingPowerFactor(
  pPu: number,
  qPu: number,
  rating: InverterRating,
  out: InverterCommandBuffer = { pPu: 0, qPu: 0 },
): InverterCommandBuffer {
  const pS = (pPu * rating.pRatedKw) / rating.sRatedKva;
  let scale = 1;
  const apparentPu = Math.sqrt(pS * pS + qPu * qPu);
  if (apparentPu > 1) scale = 1 / apparentPu;
  const qLimitPu = (qPu < 0 ? rating.qMaxInjectionKvar : rating.qMaxAbsorptionKvar) / rating.sRatedKva;
  if (Math.abs(qPu) * scale > qLimitPu) scale = qLimitPu / Math.abs(qPu);
  const pMaxPu = pPu < 0 ? 1 : rating.pMaxAbsorbKw / rating.pRatedKw;
  if (Math.abs(pPu) * scale > pMaxPu) scale = pMaxPu / Math.abs(pPu);
  out.pPu = pPu * scale + 0;
  out.qPu = qPu * scale + 0;
  return out;
}
