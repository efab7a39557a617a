/**
 * Unbalanced three-phase power flow by current injection (the "fixed-point" or implicit Z-bus Gauss
 * method): with the source voltages fixed, the free-node voltages satisfy
 *   Y_ff · V_f = I_shunt(V) − Y_fs · V_s,
 * and each iteration evaluates the load currents at the present voltages and solves with the same
 * sparse LU factors. For distribution feeders the network admittance dominates the load "admittance",
 * so the map is a contraction and converges linearly (typically 4–10 iterations to 1e-9 pu). The factors
 * depend only on the network, so they are kept across iterations, across time steps that change only
 * loads, and are refreshed only when a regulator tap moves. The first guess is the no-load solution, which
 * carries every transformer's ratio and phase shift; later solves start from the previous voltages.
 *
 * Controls run in an outer loop: automatic regulators step their taps until the compensated voltage is
 * in band, then voltage-switched capacitors switch; each change is followed by a new inner solve.
 */
import { TeError } from '../core/errors.js';
import type { Network } from './network.js';
import { validateNetwork } from './network-validation.js';
import { prepareNetwork, type PreparedNetwork } from './network-preparation.js';
import { NodalSystem } from './nodal-system.js';
import type { PowerFlowResult } from './power-flow-result.js';
import { buildResult } from './power-flow-report.js';
import { addShuntInjections, compileShunts, type ShuntBranches } from './shunt-elements.js';
import { adjustCapacitors, adjustRegulators } from './voltage-controls.js';

export interface PowerFlowOptions {
  /** Largest voltage change between iterations to stop at, pu. Default 1e-9. */
  readonly tolerancePu?: number;
  readonly maxIterations?: number;
  /** Multiplies every load (not capacitors or injections). Default 1. */
  readonly loadScale?: number;
  /** Run automatic regulators and switched capacitors. Default true. */
  readonly controls?: boolean;
  readonly maxControlSteps?: number;
}

export class PowerFlowSolver {
  readonly prepared: PreparedNetwork;
  readonly shunts: ShuntBranches;
  readonly system: NodalSystem;
  readonly tapSteps = new Map<string, number[]>();
  readonly vRe: Float64Array;
  readonly vIm: Float64Array;
  private readonly rhsRe: Float64Array;
  private readonly rhsIm: Float64Array;
  private warm = false;
  /** The load scale of the last solve (for reporting what the loads drew). */
  lastLoadScale = 1;
  private currentRe = new Float64Array(0);
  private currentIm = new Float64Array(0);
  private factorised = false;

  constructor(network: Network) {
    const errors = validateNetwork(network);
    if (errors.length > 0) throw errors[0]!;
    this.prepared = prepareNetwork(network);
    for (const r of this.prepared.network.regulators) this.tapSteps.set(r.name, [...r.tapSteps]);
    this.shunts = compileShunts(this.prepared);
    this.system = new NodalSystem(this.prepared, this.tapSteps);
    const n = this.prepared.nodeCount;
    this.vRe = new Float64Array(n);
    this.vIm = new Float64Array(n);
    this.rhsRe = new Float64Array(this.system.freeNodes.length);
    this.rhsIm = new Float64Array(this.system.freeNodes.length);
    this.setSourceVoltages();
  }

  /** Switch a capacitor by name (e.g. from an outside controller); takes effect at the next solve. */
  setCapacitor(name: string, closed: boolean): void {
    const index = this.prepared.network.capacitors.findIndex((c) => c.name === name);
    for (let k = 0; k < this.shunts.count; k++) {
      if (this.shunts.role[k] === 1 && this.shunts.element[k] === index)
        this.shunts.active[k] = closed ? 1 : 0;
    }
  }

  solve(options: PowerFlowOptions = {}): PowerFlowResult {
    const tolerancePu = options.tolerancePu ?? 1e-9;
    const maxIterations = options.maxIterations ?? 100;
    const loadScale = options.loadScale ?? 1;
    const controls = options.controls ?? true;
    this.lastLoadScale = loadScale;
    let totalIterations = 0;
    let last = { converged: false, iterations: 0, changePu: Infinity, reason: 'not run' };
    const maxSteps = options.maxControlSteps ?? 40;
    for (let step = 0; step <= maxSteps; step++) {
      if (!this.factorised) {
        if (!this.system.assemble()) {
          return this.report(
            false,
            0,
            totalIterations,
            NaN,
            'the admittance matrix is singular: a part of the network has no path to ground',
          );
        }
        this.factorised = true;
        if (!this.warm) this.noLoadStart();
      }
      last = this.iterate(tolerancePu, maxIterations, loadScale);
      totalIterations += last.iterations;
      if (!last.converged) break;
      if (!controls) return this.report(true, last.iterations, totalIterations, last.changePu);
      if (adjustRegulators(this)) {
        this.factorised = false;
        continue;
      }
      if (adjustCapacitors(this)) continue;
      return this.report(true, last.iterations, totalIterations, last.changePu);
    }
    if (!last.converged)
      return this.report(false, last.iterations, totalIterations, last.changePu, last.reason);
    return this.report(
      false,
      last.iterations,
      totalIterations,
      last.changePu,
      `the controls did not settle in ${maxSteps} steps (regulators or capacitors hunting)`,
    );
  }

  /** Mark the matrix stale after a tap change made from outside. */
  invalidate(): void {
    this.factorised = false;
  }

  private report(
    converged: boolean,
    iterations: number,
    totalIterations: number,
    changePu: number,
    reason?: string,
  ): PowerFlowResult {
    if (!converged) this.warm = false;
    return buildResult(this, {
      converged,
      iterations,
      totalIterations,
      changePu,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  private setSourceVoltages(): void {
    const source = this.prepared.network.source;
    const nodes = this.prepared.nodeOf.get(source.bus);
    if (nodes === undefined)
      throw new TeError('TE_ERR_GRID_TOPOLOGY', 'the source bus is not a bus', { path: 'source' });
    const base = (source.kvLL * 1000) / Math.sqrt(3);
    const angle0 = ((source.angleDeg ?? 0) * Math.PI) / 180;
    for (let p = 0; p < 3; p++) {
      const node = nodes[p]!;
      if (node < 0) continue;
      const magnitude = base * (source.vPu?.[p] ?? 1);
      const angle = angle0 - (p * 2 * Math.PI) / 3;
      this.vRe[node] = magnitude * Math.cos(angle);
      this.vIm[node] = magnitude * Math.sin(angle);
    }
  }

  /** Voltages with every load off: the network's own ratios and shifts, a good first guess. */
  private noLoadStart(): void {
    this.rhsRe.fill(0);
    this.rhsIm.fill(0);
    this.subtractSourceCoupling();
    this.system.lu.solve(this.rhsRe, this.rhsIm);
    const free = this.system.freeNodes;
    for (let f = 0; f < free.length; f++) {
      this.vRe[free[f]!] = this.rhsRe[f]!;
      this.vIm[free[f]!] = this.rhsIm[f]!;
    }
    this.warm = true;
  }

  private subtractSourceCoupling(): void {
    const c = this.system.freeSource;
    for (let k = 0; k < c.rows.length; k++) {
      const row = c.rows[k]!;
      const col = c.cols[k]!;
      const vr = this.vRe[col]!;
      const vi = this.vIm[col]!;
      this.rhsRe[row]! -= c.re[k]! * vr - c.im[k]! * vi;
      this.rhsIm[row]! -= c.re[k]! * vi + c.im[k]! * vr;
    }
  }

  private iterate(
    tolerancePu: number,
    maxIterations: number,
    loadScale: number,
  ): { converged: boolean; iterations: number; changePu: number; reason: string } {
    const free = this.system.freeNodes;
    const base = this.prepared.nodeBaseV;
    const n = this.prepared.nodeCount;
    const iRe = this.currentRe.length === n ? this.currentRe : (this.currentRe = new Float64Array(n));
    const iIm = this.currentIm.length === n ? this.currentIm : (this.currentIm = new Float64Array(n));
    let changePu = Infinity;
    let previous = Infinity;
    let growth = 0;
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      iRe.fill(0);
      iIm.fill(0);
      addShuntInjections(this.shunts, this.vRe, this.vIm, loadScale, iRe, iIm);
      for (let f = 0; f < free.length; f++) {
        this.rhsRe[f] = iRe[free[f]!]!;
        this.rhsIm[f] = iIm[free[f]!]!;
      }
      this.subtractSourceCoupling();
      this.system.lu.solve(this.rhsRe, this.rhsIm);
      changePu = 0;
      for (let f = 0; f < free.length; f++) {
        const node = free[f]!;
        const dr = this.rhsRe[f]! - this.vRe[node]!;
        const di = this.rhsIm[f]! - this.vIm[node]!;
        const change = Math.sqrt(dr * dr + di * di) / base[node]!;
        if (change > changePu) changePu = change;
        this.vRe[node] = this.rhsRe[f]!;
        this.vIm[node] = this.rhsIm[f]!;
      }
      if (!Number.isFinite(changePu)) {
        return {
          converged: false,
          iterations: iteration,
          changePu,
          reason: 'the voltages became non-finite (a load collapsed the voltage)',
        };
      }
      if (changePu < tolerancePu) return { converged: true, iterations: iteration, changePu, reason: '' };
      growth = changePu > previous ? growth + 1 : 0;
      previous = changePu;
      if (growth >= 5) {
        return {
          converged: false,
          iterations: iteration,
          changePu,
          reason: `diverging (the voltage change grew 5 iterations in a row, ${changePu.toExponential(2)} pu): the load is beyond what the feeder can carry`,
        };
      }
    }
    return {
      converged: false,
      iterations: maxIterations,
      changePu,
      reason: `no convergence in ${maxIterations} iterations (last change ${changePu.toExponential(2)} pu)`,
    };
  }
}

/** One-shot convenience: build a solver and solve once. */
export function solvePowerFlow(network: Network, options?: PowerFlowOptions): PowerFlowResult {
  return new PowerFlowSolver(network).solve(options);
}
