/**
 * Loads, capacitors and injections compiled to flat arrays of two-terminal shunt branches, so the
 * current-injection loop is allocation-free. A branch from node p to node q (q = −1 is ground) with
 * nominal power S at nominal voltage magnitude Vn draws, at branch voltage V = Vp − Vq,
 *   I = conj(S / V) · (fP + fI·|V|/Vn + fZ·|V|²/Vn²),
 * which is constant power, constant current magnitude or constant impedance for (1,0,0), (0,1,0) or
 * (0,0,1), and a ZIP mix in general. The current leaves the network at p and returns at q.
 */
import type { Network, Phase, PhasePower, ShuntConnection } from './network.js';
import { phaseIndex } from './network.js';
import type { PreparedNetwork } from './network-preparation.js';

export type ShuntRole = 'load' | 'capacitor' | 'injection';

export interface ShuntBranches {
  readonly count: number;
  readonly fromNode: Int32Array;
  readonly toNode: Int32Array;
  /** Nominal complex power, VA, load reference. */
  readonly sRe: Float64Array;
  readonly sIm: Float64Array;
  readonly nominalV: Float64Array;
  readonly fractionP: Float64Array;
  readonly fractionI: Float64Array;
  readonly fractionZ: Float64Array;
  /** 0 load, 1 capacitor, 2 injection. */
  readonly role: Uint8Array;
  /** Index of the element (in its network list) each branch belongs to. */
  readonly element: Int32Array;
  /** Per branch: 1 when it draws current (capacitors can be switched off). */
  readonly active: Uint8Array;
  /**
   * Wye elements on an ungrounded bus share a floating neutral: group number per branch (-1 none) and
   * the neutral voltage of each group, updated every iteration so the group's currents sum to zero.
   */
  readonly neutralGroup: Int32Array;
  readonly neutralRe: Float64Array;
  readonly neutralIm: Float64Array;
}

const NEXT: Record<Phase, Phase> = { a: 'b', b: 'c', c: 'a' };

export function compileShunts(prepared: PreparedNetwork): ShuntBranches {
  const network: Network = prepared.network;
  const rows: {
    from: number;
    to: number;
    sRe: number;
    sIm: number;
    vn: number;
    f: [number, number, number];
    role: number;
    element: number;
    active: number;
    group: number;
  }[] = [];
  let groups = 0;
  const node = (bus: string, phase: Phase): number => prepared.nodeOf.get(bus)?.[phaseIndex(phase)] ?? -1;
  const add = (
    bus: string,
    connection: ShuntConnection,
    powers: readonly PhasePower[],
    ratedKvLL: number | undefined,
    f: [number, number, number],
    role: number,
    element: number,
    active: number,
  ): void => {
    const kvLL = ratedKvLL ?? prepared.nominalKvLL.get(bus) ?? network.source.kvLL;
    const floating = connection === 'wye' && prepared.ungroundedBuses.has(bus);
    const group = floating ? groups++ : -1;
    for (const p of powers) {
      if (p.pKw === 0 && p.qKvar === 0) continue;
      // Validation guarantees the phase exists; a phase only an open switch feeds is de-energised.
      if (node(bus, p.phase) < 0) continue;
      const delta = connection === 'delta';
      rows.push({
        from: node(bus, p.phase),
        to: delta ? node(bus, NEXT[p.phase]) : -1,
        sRe: p.pKw * 1000,
        sIm: p.qKvar * 1000,
        vn: (kvLL * 1000) / (delta ? 1 : Math.sqrt(3)),
        f,
        role,
        element,
        active,
        group,
      });
    }
  };
  network.loads.forEach((load, i) => {
    const f: [number, number, number] =
      load.model === 'constant-power'
        ? [1, 0, 0]
        : load.model === 'constant-current'
          ? [0, 1, 0]
          : load.model === 'constant-impedance'
            ? [0, 0, 1]
            : [load.zip?.power ?? 1, load.zip?.current ?? 0, load.zip?.impedance ?? 0];
    add(load.bus, load.connection, load.phasePowers, load.nominalKvLL, f, 0, i, 1);
  });
  network.capacitors.forEach((cap, i) => {
    const powers = cap.phaseKvar.map((k) => ({ phase: k.phase, pKw: 0, qKvar: -k.kvar }));
    add(cap.bus, cap.connection, powers, cap.ratedKvLL, [0, 0, 1], 1, i, cap.closed === false ? 0 : 1);
  });
  network.injections.forEach((inj, i) => {
    add(inj.bus, 'wye', inj.phasePowers, undefined, [1, 0, 0], 2, i, 1);
  });
  const count = rows.length;
  const pick = (g: (r: (typeof rows)[number]) => number): Float64Array => Float64Array.from(rows.map(g));
  return {
    count,
    fromNode: Int32Array.from(rows.map((r) => r.from)),
    toNode: Int32Array.from(rows.map((r) => r.to)),
    sRe: pick((r) => r.sRe),
    sIm: pick((r) => r.sIm),
    nominalV: pick((r) => r.vn),
    fractionP: pick((r) => r.f[0]),
    fractionI: pick((r) => r.f[1]),
    fractionZ: pick((r) => r.f[2]),
    role: Uint8Array.from(rows.map((r) => r.role)),
    element: Int32Array.from(rows.map((r) => r.element)),
    active: Uint8Array.from(rows.map((r) => r.active)),
    neutralGroup: Int32Array.from(rows.map((r) => r.group)),
    neutralRe: new Float64Array(groups),
    neutralIm: new Float64Array(groups),
  };
}

/**
 * Add the current each shunt branch injects into the network (minus what it draws) to iRe/iIm.
 * `loadScale` multiplies loads only (not capacitors or injections).
 */
export function addShuntInjections(
  shunts: ShuntBranches,
  vRe: Float64Array,
  vIm: Float64Array,
  loadScale: number,
  iRe: Float64Array,
  iIm: Float64Array,
): void {
  if (shunts.neutralRe.length > 0) placeFloatingNeutrals(shunts, vRe, vIm, loadScale);
  for (let k = 0; k < shunts.count; k++) {
    if (shunts.active[k] === 0) continue;
    const p = shunts.fromNode[k]!;
    const q = shunts.toNode[k]!;
    // Read the reused tuple at once (no destructuring: this loop is the hot path of every iteration).
    const draw = branchCurrent(shunts, k, vRe, vIm, shunts.role[k] === 0 ? loadScale : 1);
    const drawRe = draw[0];
    const drawIm = draw[1];
    iRe[p]! -= drawRe;
    iIm[p]! -= drawIm;
    if (q >= 0) {
      iRe[q]! += drawRe;
      iIm[q]! += drawIm;
    }
  }
}

/**
 * Floating neutrals (wye elements in an ungrounded zone): before the currents are injected, each
 * neutral is put where its branch currents sum to zero at the present phase voltages, by a
 * two-dimensional Newton iteration with a finite-difference Jacobian (any ZIP mix). The injected
 * currents then carry no zero-sequence component into the zone, whose zero-sequence voltage only the
 * tiny grounding admittances would otherwise fix.
 */
function placeFloatingNeutrals(
  shunts: ShuntBranches,
  vRe: Float64Array,
  vIm: Float64Array,
  loadScale: number,
): void {
  const groups = shunts.neutralRe.length;
  const sum = (g: number, nRe: number, nIm: number): [number, number, number] => {
    shunts.neutralRe[g] = nRe;
    shunts.neutralIm[g] = nIm;
    let sr = 0;
    let si = 0;
    let scale = 0;
    for (let k = 0; k < shunts.count; k++) {
      if (shunts.neutralGroup[k] !== g || shunts.active[k] === 0) continue;
      const [ir, ii] = branchCurrent(shunts, k, vRe, vIm, shunts.role[k] === 0 ? loadScale : 1);
      sr += ir;
      si += ii;
      scale += Math.hypot(ir, ii);
    }
    return [sr, si, scale];
  };
  for (let g = 0; g < groups; g++) {
    let nRe = shunts.neutralRe[g]!;
    let nIm = shunts.neutralIm[g]!;
    let vScale = 0;
    for (let k = 0; k < shunts.count; k++)
      if (shunts.neutralGroup[k] === g) vScale = Math.max(vScale, shunts.nominalV[k]!);
    const h = 1e-7 * vScale;
    for (let iteration = 0; iteration < 60; iteration++) {
      const [fr, fi, scale] = sum(g, nRe, nIm);
      if (Math.hypot(fr, fi) <= 1e-11 * scale) break;
      const [ar, ai] = sum(g, nRe + h, nIm);
      const [br, bi] = sum(g, nRe, nIm + h);
      const j11 = (ar - fr) / h;
      const j21 = (ai - fi) / h;
      const j12 = (br - fr) / h;
      const j22 = (bi - fi) / h;
      const det = j11 * j22 - j12 * j21;
      if (!(Math.abs(det) > 0)) break;
      // Balanced constant-power branches make Vn a double root (Newton then halves the distance each
      // step) and leave a second, spurious root at infinity: limit the step so it cannot run off.
      let stepRe = (j22 * fr - j12 * fi) / det;
      let stepIm = (-j21 * fr + j11 * fi) / det;
      const stepV = Math.hypot(stepRe, stepIm);
      if (stepV > 0.02 * vScale) {
        stepRe *= (0.02 * vScale) / stepV;
        stepIm *= (0.02 * vScale) / stepV;
      }
      nRe -= stepRe;
      nIm -= stepIm;
    }
    shunts.neutralRe[g] = nRe;
    shunts.neutralIm[g] = nIm;
  }
}

const result: [number, number] = [0, 0];

/** Current drawn by branch k at the given voltages (reused tuple: copy before the next call). */
export function branchCurrent(
  shunts: ShuntBranches,
  k: number,
  vRe: Float64Array,
  vIm: Float64Array,
  scale: number,
): [number, number] {
  const p = shunts.fromNode[k]!;
  const q = shunts.toNode[k]!;
  const g = shunts.neutralGroup[k]!;
  const refRe = q >= 0 ? vRe[q]! : g >= 0 ? shunts.neutralRe[g]! : 0;
  const refIm = q >= 0 ? vIm[q]! : g >= 0 ? shunts.neutralIm[g]! : 0;
  const br = vRe[p]! - refRe;
  const bi = vIm[p]! - refIm;
  const mag2 = br * br + bi * bi;
  if (mag2 === 0) {
    result[0] = 0;
    result[1] = 0;
    return result;
  }
  const vn = shunts.nominalV[k]!;
  const mag = Math.sqrt(mag2);
  const factor =
    (shunts.fractionP[k]! + (shunts.fractionI[k]! * mag) / vn + (shunts.fractionZ[k]! * mag2) / (vn * vn)) *
    scale;
  // conj(S / V) = conj(S) · V / |V|²
  const sr = shunts.sRe[k]!;
  const si = -shunts.sIm[k]!;
  result[0] = ((sr * br - si * bi) / mag2) * factor;
  result[1] = ((sr * bi + si * br) / mag2) * factor;
  return result;
}
