/**
 * How far a set of voltages is from solving the power flow: the nodal current residual
 *   R_f = Y_ff · V_f + Y_fs · V_s − I_shunt(V)
 * (zero at a solution) and the power mismatch V_i · conj(R_i) it means at each free node. Newton's
 * method drives R to zero; tests use the mismatch to check any solution independently of how it was
 * found.
 */
import type { NodalSystem } from './nodal-system.js';
import { addShuntInjections, type ShuntBranches } from './shunt-elements.js';

/** The base of `maxPowerMismatchPu`: 1 MVA, so 1e-6 pu is 1 W (or var) at a node. */
export const MISMATCH_BASE_VA = 1e6;

/**
 * Writes R_f into outRe/outIm (free indices); iRe/iIm (all nodes) are scratch for the shunt currents.
 */
export function nodalResidual(
  system: NodalSystem,
  shunts: ShuntBranches,
  vRe: Float64Array,
  vIm: Float64Array,
  loadScale: number,
  iRe: Float64Array,
  iIm: Float64Array,
  outRe: Float64Array,
  outIm: Float64Array,
): void {
  const free = system.freeNodes;
  iRe.fill(0);
  iIm.fill(0);
  addShuntInjections(shunts, vRe, vIm, loadScale, iRe, iIm);
  for (let f = 0; f < free.length; f++) {
    outRe[f] = -iRe[free[f]!]!;
    outIm[f] = -iIm[free[f]!]!;
  }
  for (const c of [system.freeFree, system.freeSource]) {
    const toNode = c === system.freeFree ? free : null;
    for (let k = 0; k < c.rows.length; k++) {
      const row = c.rows[k]!;
      const col = toNode === null ? c.cols[k]! : toNode[c.cols[k]!]!;
      const vr = vRe[col]!;
      const vi = vIm[col]!;
      outRe[row]! += c.re[k]! * vr - c.im[k]! * vi;
      outIm[row]! += c.re[k]! * vi + c.im[k]! * vr;
    }
  }
}

/** Largest |V_i · conj(R_i)| over the free nodes, pu of `MISMATCH_BASE_VA`. */
export function maxPowerMismatchPu(
  system: NodalSystem,
  shunts: ShuntBranches,
  vRe: Float64Array,
  vIm: Float64Array,
  loadScale: number,
): number {
  const free = system.freeNodes;
  const rRe = new Float64Array(free.length);
  const rIm = new Float64Array(free.length);
  nodalResidual(
    system,
    shunts,
    vRe,
    vIm,
    loadScale,
    new Float64Array(vRe.length),
    new Float64Array(vRe.length),
    rRe,
    rIm,
  );
  let worst = 0;
  for (let f = 0; f < free.length; f++) {
    const node = free[f]!;
    const mismatchVa = Math.sqrt(vRe[node]! ** 2 + vIm[node]! ** 2) * Math.sqrt(rRe[f]! ** 2 + rIm[f]! ** 2);
    if (!(mismatchVa <= worst)) worst = mismatchVa;
  }
  return worst / MISMATCH_BASE_VA;
}
