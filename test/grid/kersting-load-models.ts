/** Kersting's load models for the backward/forward sweep (test support), per phase or delta branch. */
import type { Phase, PhasePower } from '../../src/grid/network.js';
import type { C3 } from './complex-3x3.js';

export interface ShuntLoad {
  readonly bus: number;
  readonly delta: boolean;
  /** Fractions drawn as constant power, current and impedance. */
  readonly model: readonly [number, number, number];
  readonly powers: readonly PhasePower[];
  readonly nominalV: number;
}

const PHASE: Record<Phase, number> = { a: 0, b: 1, c: 2 };

/** Kersting's load models: constant PQ, constant Z (from the nominal voltage), constant |I| at the load's power factor. */
export function addLoadCurrent(load: ShuntLoad, v: C3, out: C3): void {
  for (const power of load.powers) {
    const p = PHASE[power.phase];
    const q = (p + 1) % 3;
    const vr = load.delta ? v.re[p]! - v.re[q]! : v.re[p]!;
    const vi = load.delta ? v.im[p]! - v.im[q]! : v.im[p]!;
    const sr = power.pKw * 1000;
    const si = power.qKvar * 1000;
    const vMag = Math.hypot(vr, vi);
    if (vMag === 0 || (sr === 0 && si === 0)) continue;
    let ir = 0;
    let ii = 0;
    const [fP, fI, fZ] = load.model;
    // Constant PQ: I = conj(S / V).
    ir += (fP * (sr * vr + si * vi)) / (vMag * vMag);
    ii += (fP * (sr * vi - si * vr)) / (vMag * vMag);
    // Constant Z: Z = Vn² / conj(S), I = V / Z.
    const zDen = load.nominalV * load.nominalV;
    ir += (fZ * (vr * sr + vi * si)) / zDen;
    ii += (fZ * (vi * sr - vr * si)) / zDen;
    // Constant current: |I| = |S| / Vn at angle δ_V − θ_S.
    const iMag = Math.hypot(sr, si) / load.nominalV;
    const angle = Math.atan2(vi, vr) - Math.atan2(si, sr);
    ir += fI * iMag * Math.cos(angle);
    ii += fI * iMag * Math.sin(angle);
    out.re[p]! += ir;
    out.im[p]! += ii;
    if (load.delta) {
      out.re[q]! -= ir;
      out.im[q]! -= ii;
    }
  }
}
