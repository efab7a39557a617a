/**
 * Changing the power of the network's injections between solves without rebuilding the solver: the
 * quasi-static time series moves only these (and the factorisation stays valid, since injections are
 * current sources, not admittances).
 */
import type { Phase } from './network.js';
import { phaseIndex } from './network.js';
import type { PowerFlowSolver } from './power-flow.js';

export class InjectionUpdater {
  /** Shunt branch of (injection, phase): index injection * 3 + phase, -1 when it has none. */
  private readonly branchOf: Int32Array;

  constructor(private readonly solver: PowerFlowSolver) {
    const injections = solver.prepared.network.injections.length;
    this.branchOf = new Int32Array(injections * 3).fill(-1);
    const { shunts, prepared } = solver;
    for (let k = 0; k < shunts.count; k++) {
      if (shunts.role[k] !== 2) continue;
      const phase = prepared.nodePhase[shunts.fromNode[k] ?? -1];
      if (phase === undefined) continue;
      this.branchOf[(shunts.element[k] ?? 0) * 3 + phaseIndex(phase)] = k;
    }
  }

  /** False when the injection has no branch on that phase (it was compiled with zero power there). */
  set(injection: number, phase: Phase, pKw: number, qKvar: number): boolean {
    const k = this.branchOf[injection * 3 + phaseIndex(phase)] ?? -1;
    if (k < 0) return false;
    this.solver.shunts.sRe[k] = pKw * 1000;
    this.solver.shunts.sIm[k] = qKvar * 1000;
    return true;
  }
}
