/**
 * Static voltage controls, one step of the solver's outer loop each:
 * - Step-voltage regulators (Kersting ch. 7): the relay sees V_relay = V_out / PT − (R' + jX') · I / CT,
 *   with R', X' the compensator settings in volts and CT the primary rating; when |V_relay| leaves the
 *   band the tap moves by the number of steps that brings it back to the band centre (at least one),
 *   within the limits. Regulators with the shortest time delay act first, as they would in time.
 * - Voltage-switched capacitors: on below `onBelowVPu`, off above `offAboveVPu` (lowest, resp. highest,
 *   phase voltage of the bus).
 */
import type { BranchPrimitive } from './branch-admittance.js';
import { phaseIndex } from './network.js';
import type { PowerFlowSolver } from './power-flow.js';

export function terminalCurrents(
  branch: BranchPrimitive,
  vRe: Float64Array,
  vIm: Float64Array,
): { re: Float64Array; im: Float64Array } {
  const m = branch.nodes.length;
  const re = new Float64Array(m);
  const im = new Float64Array(m);
  for (let a = 0; a < m; a++) {
    let sr = 0;
    let si = 0;
    for (let c = 0; c < m; c++) {
      const node = branch.nodes[c]!;
      if (node < 0) continue;
      const yr = branch.yRe[a * m + c]!;
      const yi = branch.yIm[a * m + c]!;
      sr += yr * vRe[node]! - yi * vIm[node]!;
      si += yr * vIm[node]! + yi * vRe[node]!;
    }
    re[a] = sr;
    im[a] = si;
  }
  return { re, im };
}

/** Returns true when any tap moved. */
export function adjustRegulators(solver: PowerFlowSolver): boolean {
  const regulators = solver.prepared.network.regulators.filter((r) => r.control !== undefined);
  const moves: { name: string; taps: number[]; delayS: number }[] = [];
  for (const regulator of regulators) {
    const control = regulator.control!;
    const branch = solver.system.regulatorBranchOf(regulator.name);
    if (branch === undefined) continue;
    const currents = terminalCurrents(branch, solver.vRe, solver.vIm);
    const m = branch.fromCount;
    const taps = [...(solver.tapSteps.get(regulator.name) ?? regulator.tapSteps)];
    const limit = regulator.maxTapSteps ?? 16;
    const step = regulator.stepPu ?? 0.00625;
    let moved = false;
    for (let a = 0; a < m; a++) {
      const node = branch.nodes[m + a]!;
      const phase = branch.phases[m + a]!;
      // Current flowing out of the regulator into the load side.
      const iRe = -currents.re[m + a]!;
      const iIm = -currents.im[m + a]!;
      const scale = 1 / control.ctRatingA;
      const dropRe = (control.ldcResistanceV * iRe - control.ldcReactanceV * iIm) * scale;
      const dropIm = (control.ldcResistanceV * iIm + control.ldcReactanceV * iRe) * scale;
      const relay = Math.hypot(
        solver.vRe[node]! / control.ptRatio - dropRe,
        solver.vIm[node]! / control.ptRatio - dropIm,
      );
      const low = control.bandCenterV - control.bandwidthV / 2;
      const high = control.bandCenterV + control.bandwidthV / 2;
      if (relay >= low && relay <= high) continue;
      const stepV = (step * solver.prepared.nodeBaseV[node]!) / control.ptRatio;
      const wanted = Math.round((control.bandCenterV - relay) / stepV) || (relay < low ? 1 : -1);
      const p = phaseIndex(phase);
      const next = Math.max(-limit, Math.min(limit, taps[p]! + wanted));
      if (next !== taps[p]) {
        taps[p] = next;
        moved = true;
      }
    }
    if (moved) moves.push({ name: regulator.name, taps, delayS: control.timeDelayS });
  }
  if (moves.length === 0) return false;
  const firstDelay = Math.min(...moves.map((m) => m.delayS));
  for (const move of moves) {
    if (move.delayS !== firstDelay) continue;
    solver.tapSteps.set(move.name, move.taps);
    solver.system.setRegulatorTaps(move.name, move.taps);
  }
  return true;
}

/** Returns true when any capacitor switched. */
export function adjustCapacitors(solver: PowerFlowSolver): boolean {
  const { prepared } = solver;
  let switched = false;
  prepared.network.capacitors.forEach((cap, index) => {
    if (cap.control === undefined) return;
    const nodes = prepared.nodeOf.get(cap.bus);
    if (nodes === undefined) return;
    let lowest = Infinity;
    let highest = 0;
    for (const node of nodes) {
      if (node < 0) continue;
      const vPu = Math.hypot(solver.vRe[node]!, solver.vIm[node]!) / prepared.nodeBaseV[node]!;
      lowest = Math.min(lowest, vPu);
      highest = Math.max(highest, vPu);
    }
    const closed = solver.capacitorClosed(index);
    const next = closed ? !(highest > cap.control.offAboveVPu) : lowest < cap.control.onBelowVPu;
    if (next !== closed) {
      solver.setCapacitor(cap.name, next);
      switched = true;
    }
  });
  return switched;
}
