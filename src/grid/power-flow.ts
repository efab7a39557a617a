/**
 * Unbalanced three-phase power flow by current injection on the sparse nodal admittance matrix.
 *
 * The inner solve is the current-injection fixed point (`fixed-point-iteration.ts`): Y_ff is factorised
 * once and the factors are kept across iterations, across time steps that change only loads, and are
 * refreshed only when a regulator tap moves. When the fixed point fails (diverges, goes non-finite or
 * runs out of iterations: heavy load, large injections) the solver falls back to Newton's method on the
 * same equations (`newton-current-injection.ts`) and reports which method produced the voltages. The
 * first guess is the no-load solution, which carries every transformer's ratio and phase shift; later
 * solves start from the previous voltages.
 *
 * Controls run in an outer loop: automatic regulators step their taps until the compensated voltage is
 * in band, then voltage-switched capacitors switch; each change is followed by a new inner solve.
 *
 * `solveVoltages` leaves the voltages in `vRe`/`vIm` and returns only the status (the fast path for
 * time series); `solve` also builds the per-bus and per-branch results.
 */
import { TeError } from '../core/errors.js';
import { FixedPointIteration, type IterationOutcome } from './fixed-point-iteration.js';
import type { Network } from './network.js';
import { validateNetwork } from './network-validation.js';
import { prepareNetwork, type PreparedNetwork } from './network-preparation.js';
import { NewtonCurrentInjection } from './newton-current-injection.js';
import { NodalSystem } from './nodal-system.js';
import type { PowerFlowMethod, PowerFlowResult, PowerFlowStatus } from './power-flow-result.js';
import { buildResult } from './power-flow-report.js';
import { compileShunts, type ShuntBranches } from './shunt-elements.js';
import { adjustCapacitors, adjustRegulators } from './voltage-controls.js';

export interface PowerFlowOptions {
  /** Largest voltage change between iterations to stop at, pu. Default 1e-9. */
  readonly tolerancePu?: number;
  /** Per inner solve, for each method. Default 100 (fixed point) and 30 (Newton). */
  readonly maxIterations?: number;
  /** Multiplies every load (not capacitors or injections). Default 1. */
  readonly loadScale?: number;
  /** Run automatic regulators and switched capacitors. Default true. */
  readonly controls?: boolean;
  readonly maxControlSteps?: number;
  /**
   * 'auto' (default): fixed point, Newton when it fails; 'fixed-point': no fallback; 'newton': Newton
   * only.
   */
  readonly method?: 'auto' | PowerFlowMethod;
}

type InnerOutcome = IterationOutcome & { method: PowerFlowMethod; totalIterations: number };

export class PowerFlowSolver {
  readonly prepared: PreparedNetwork;
  readonly shunts: ShuntBranches;
  readonly system: NodalSystem;
  readonly tapSteps = new Map<string, number[]>();
  readonly vRe: Float64Array;
  readonly vIm: Float64Array;
  /** The load scale of the last solve (for reporting what the loads drew). */
  lastLoadScale = 1;
  private readonly fixedPoint: FixedPointIteration;
  private newton: NewtonCurrentInjection | null = null;
  private warm = false;
  private factorised = false;
  /** Capacitor index → its shunt branches (for switching without a scan). */
  private readonly capacitorBranches: number[][];

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
    this.fixedPoint = new FixedPointIteration(this.prepared, this.system, this.shunts);
    this.capacitorBranches = this.prepared.network.capacitors.map(() => []);
    for (let k = 0; k < this.shunts.count; k++)
      if (this.shunts.role[k] === 1) this.capacitorBranches[this.shunts.element[k]!]?.push(k);
    this.setSourceVoltages();
  }

  /** Switch a capacitor by name (e.g. from an outside controller); takes effect at the next solve. */
  setCapacitor(name: string, closed: boolean): void {
    const index = this.prepared.network.capacitors.findIndex((c) => c.name === name);
    for (const k of this.capacitorBranches[index] ?? []) this.shunts.active[k] = closed ? 1 : 0;
  }

  /** Whether a capacitor (by index in the prepared network) is switched on. */
  capacitorClosed(index: number): boolean {
    const branches = this.capacitorBranches[index] ?? [];
    return branches.length > 0 && this.shunts.active[branches[0]!] === 1;
  }

  /** Solve and build the full result (voltages per bus, branch currents and flows, totals). */
  solve(options: PowerFlowOptions = {}): PowerFlowResult {
    return buildResult(this, this.solveVoltages(options));
  }

  /** Solve, leaving the node voltages in `vRe`/`vIm` (volts), without building per-element results. */
  solveVoltages(options: PowerFlowOptions = {}): PowerFlowStatus {
    const tolerancePu = options.tolerancePu ?? 1e-9;
    const loadScale = options.loadScale ?? 1;
    const controls = options.controls ?? true;
    const maxSteps = options.maxControlSteps ?? 40;
    this.lastLoadScale = loadScale;
    let totalIterations = 0;
    let last: InnerOutcome = {
      converged: false,
      iterations: 0,
      totalIterations: 0,
      changePu: Infinity,
      reason: 'not run',
      method: 'fixed-point',
    };
    const status = (converged: boolean, reason?: string): PowerFlowStatus => {
      if (!converged) this.warm = false;
      return {
        converged,
        ...(reason === undefined ? {} : { reason }),
        iterations: last.iterations,
        totalIterations,
        lastChangePu: last.changePu,
        method: last.method,
      };
    };
    for (let step = 0; step <= maxSteps; step++) {
      if (!this.factorised) {
        if (!this.system.assemble()) {
          return status(
            false,
            'the admittance matrix is singular: a part of the network has no path to ground',
          );
        }
        this.factorised = true;
        if (!this.warm) this.noLoadStart();
      }
      last = this.innerSolve(tolerancePu, options, loadScale);
      totalIterations += last.totalIterations;
      if (!last.converged) return status(false, last.reason);
      if (!controls) return status(true);
      if (adjustRegulators(this)) {
        this.factorised = false;
        continue;
      }
      if (adjustCapacitors(this)) continue;
      return status(true);
    }
    return status(
      false,
      `the controls did not settle in ${maxSteps} steps (regulators or capacitors hunting)`,
    );
  }

  /** Mark the matrix stale after a tap change made from outside. */
  invalidate(): void {
    this.factorised = false;
  }

  private innerSolve(tolerancePu: number, options: PowerFlowOptions, loadScale: number): InnerOutcome {
    const method = options.method ?? 'auto';
    let fixedPointIterations = 0;
    if (method !== 'newton') {
      const outcome = this.fixedPoint.run(
        this.vRe,
        this.vIm,
        tolerancePu,
        options.maxIterations ?? 100,
        loadScale,
      );
      if (outcome.converged || method === 'fixed-point')
        return { ...outcome, method: 'fixed-point', totalIterations: outcome.iterations };
      fixedPointIterations = outcome.iterations;
      // A diverged iterate is no start for Newton; a slowly converging one is a good one.
      if (!(outcome.changePu < 0.05)) this.noLoadStart();
    }
    const newton =
      this.newton ?? (this.newton = new NewtonCurrentInjection(this.prepared, this.system, this.shunts));
    const outcome = newton.run(this.vRe, this.vIm, tolerancePu, options.maxIterations ?? 30, loadScale);
    return { ...outcome, method: 'newton', totalIterations: fixedPointIterations + outcome.iterations };
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

  private noLoadStart(): void {
    this.fixedPoint.noLoadStart(this.vRe, this.vIm);
    this.warm = true;
  }
}

/** One-shot convenience: build a solver and solve once. */
export function solvePowerFlow(network: Network, options?: PowerFlowOptions): PowerFlowResult {
  return new PowerFlowSolver(network).solve(options);
}
