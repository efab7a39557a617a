/**
 * The feeder in the loop: every slot, the homes' metered loads are put on their buses and the power flow
 * is solved (quasi-static time series, warm-started, taps carried over). From the solved state it also
 * derives each home's dynamic operating envelope for the next slot.
 */
import { InjectionUpdater } from '../../grid/injection-updates.js';
import { phaseIndex, type Phase } from '../../grid/network.js';
import { PowerFlowSolver } from '../../grid/power-flow.js';
import type { PowerFlowResult } from '../../grid/power-flow-result.js';
import type { FeederWithHomes } from './feeder-network.js';
import type { HomeConnection } from './home-placement.js';

/** ANSI C84.1 Range A service voltage limits. */
export const RANGE_A_MIN_PU = 0.95;
export const RANGE_A_MAX_PU = 1.05;
/** Homes draw reactive power at this power factor when importing (appliances, motors); unity when exporting. */
const HOME_POWER_FACTOR = 0.95;
const HOME_Q_PER_P = Math.tan(Math.acos(HOME_POWER_FACTOR));
/** Probe size for voltage sensitivities; small enough to stay linear, large enough to be above noise. */
const PROBE_KW = 10;

export interface FeederSlotState {
  readonly converged: boolean;
  readonly minVPu: number;
  readonly maxVPu: number;
  /** Nodes (bus phases) outside Range A, and buses with any phase outside it. */
  readonly violatingNodes: number;
  readonly violatingBuses: number;
  readonly lossesKw: number;
  readonly transformerLoadingPct: number;
  readonly lineLoadingPct: number;
  /** Lowest and highest phase voltage per bus, in the order of `busNames` (views, reused). */
  readonly busMinVPu: Float64Array;
  readonly busMaxVPu: Float64Array;
}

export class FeederFlow {
  readonly solver: PowerFlowSolver;
  readonly busNames: readonly string[];
  private readonly updater: InjectionUpdater;
  /** Per (bus-with-homes, phase) group: its injection and phase; per premises: its group. */
  private readonly groupInjection: Int32Array;
  private readonly groupPhase: Phase[];
  private readonly groupOfPremises: Int32Array;
  private readonly groupKw: Float64Array;
  private readonly groupInverterKvar: Float64Array;
  /** Solver node of each group's bus phase. */
  private readonly groupNode: Int32Array;
  private readonly homesInGroup: Int32Array;
  private readonly busOfNode: Int32Array;
  private readonly busMinVPu: Float64Array;
  private readonly busMaxVPu: Float64Array;
  private readonly nodeVPu: Float64Array;
  private readonly probeVPu: Float64Array;
  /** Nodes whose voltage the load can move: all but the source's, which the solver holds. */
  private readonly monitored: Uint8Array;
  private lastResult: PowerFlowResult | null = null;

  /** The full result of the last `solve` (per bus and branch), for views that show more than the summary. */
  get lastSolved(): PowerFlowResult | null {
    return this.lastResult;
  }

  constructor(feeder: FeederWithHomes, connections: readonly HomeConnection[]) {
    this.solver = new PowerFlowSolver(feeder.network);
    this.updater = new InjectionUpdater(this.solver);
    const prepared = this.solver.prepared;
    this.busNames = prepared.network.buses.map((bus) => bus.name).filter((name) => prepared.nodeOf.has(name));
    const busIndex = new Map(this.busNames.map((name, index) => [name, index]));
    this.busOfNode = Int32Array.from(prepared.nodeBus, (bus) => busIndex.get(bus) ?? -1);
    const groups = new Map<string, number>();
    const injections: number[] = [];
    this.groupPhase = [];
    this.groupOfPremises = new Int32Array(connections.length);
    connections.forEach((c, p) => {
      const key = `${c.bus}.${c.phase}`;
      let group = groups.get(key);
      if (group === undefined) {
        group = injections.length;
        groups.set(key, group);
        injections.push(feeder.injectionOfBus.get(c.bus) ?? -1);
        this.groupPhase.push(c.phase);
      }
      this.groupOfPremises[p] = group;
    });
    this.groupInjection = Int32Array.from(injections);
    this.groupKw = new Float64Array(injections.length);
    this.groupInverterKvar = new Float64Array(injections.length);
    this.groupNode = Int32Array.from(this.groupPhase, (phase, g) => {
      const connection = connections[this.groupOfPremises.indexOf(g)];
      return prepared.nodeOf.get(connection?.bus ?? '')?.[phaseIndex(phase)] ?? -1;
    });
    this.homesInGroup = new Int32Array(injections.length);
    for (const group of this.groupOfPremises) this.homesInGroup[group] = (this.homesInGroup[group] ?? 0) + 1;
    this.busMinVPu = new Float64Array(this.busNames.length);
    this.busMaxVPu = new Float64Array(this.busNames.length);
    this.nodeVPu = new Float64Array(prepared.nodeCount);
    this.probeVPu = new Float64Array(prepared.nodeCount);
    const sourceBus = prepared.network.source.bus;
    this.monitored = Uint8Array.from(prepared.nodeBus, (bus) => (bus === sourceBus ? 0 : 1));
  }

  /**
   * Put the metered loads on the feeder and solve. `premisesInverterKvar`, when given, adds each home's
   * inverter reactive power (load reference) to what its load draws at its power factor.
   */
  solve(premisesLoadKw: Float64Array, premisesInverterKvar?: Float64Array): FeederSlotState {
    this.loadGroups(premisesLoadKw, premisesInverterKvar);
    const result = this.solver.solve();
    this.lastResult = result;
    this.readNodeVoltages(this.nodeVPu);
    return this.summarise(result);
  }

  /** Sum the homes' loads (and inverter kvar) per bus phase and put them on the feeder's injections. */
  private loadGroups(premisesLoadKw: Float64Array, premisesInverterKvar?: Float64Array): void {
    this.groupKw.fill(0);
    this.groupInverterKvar.fill(0);
    for (let p = 0; p < premisesLoadKw.length; p++) {
      const group = this.groupOfPremises[p] ?? 0;
      this.groupKw[group] = (this.groupKw[group] ?? 0) + (premisesLoadKw[p] ?? 0);
      if (premisesInverterKvar !== undefined) {
        this.groupInverterKvar[group] = (this.groupInverterKvar[group] ?? 0) + (premisesInverterKvar[p] ?? 0);
      }
    }
    for (let g = 0; g < this.groupKw.length; g++) this.setGroup(g, this.groupKw[g] ?? 0);
  }

  /**
   * Like `solve`, but only the node voltages: for the iterations of the inverter outer loop, which read
   * nothing else. Returns whether it converged; `solve` afterwards gives the slot's full state.
   */
  solveVoltagesOnly(premisesLoadKw: Float64Array, premisesInverterKvar?: Float64Array): boolean {
    this.loadGroups(premisesLoadKw, premisesInverterKvar);
    const status = this.solver.solveVoltages();
    if (status.converged) this.readNodeVoltages(this.nodeVPu);
    return status.converged;
  }

  /** Voltage (pu) at a home's connection after the last solve. */
  premisesVoltagePu(premises: number): number {
    return this.nodeVPu[this.groupNode[this.groupOfPremises[premises] ?? 0] ?? 0] ?? Number.NaN;
  }

  /**
   * Each home's share of the import and export its connection point can take before some voltage leaves
   * Range A or a transformer or rated line exceeds 100 %, from the last solved state. Per bus phase with
   * homes: the headroom of that connection point (see `headroomKw`), split equally among the homes there,
   * on top of what each draws now. Written into `importKw` / `exportKw` per premises.
   */
  envelopes(premisesLoadKw: Float64Array, importKw: Float64Array, exportKw: Float64Array): void {
    const base = this.lastResult;
    if (base === null || !base.converged) {
      importKw.fill(Number.POSITIVE_INFINITY);
      exportKw.fill(Number.POSITIVE_INFINITY);
      return;
    }
    const groupImport = new Float64Array(this.groupKw.length);
    const groupExport = new Float64Array(this.groupKw.length);
    const baseLoading = branchLoadings(base);
    for (let g = 0; g < this.groupKw.length; g++) {
      const homes = Math.max(1, this.homesInGroup[g] ?? 1);
      const thermalKw = this.thermalHeadroomKw(g, baseLoading);
      groupImport[g] = Math.min(thermalKw, this.headroomKw(g, +1)) / homes;
      groupExport[g] = this.headroomKw(g, -1) / homes;
    }
    // Restore the solved state of the slot for anything that reads the solver afterwards.
    this.solver.solveVoltages({ controls: false });
    for (let p = 0; p < premisesLoadKw.length; p++) {
      const g = this.groupOfPremises[p] ?? 0;
      const loadKw = premisesLoadKw[p] ?? 0;
      importKw[p] = Math.max(0, loadKw + (groupImport[g] ?? 0));
      exportKw[p] = Math.max(0, -loadKw + (groupExport[g] ?? 0));
    }
  }

  /**
   * How far the load of group `g` can move in `direction` (+1 more import, −1 more export) before a
   * monitored node leaves Range A: a probe gives each node's slope and the first node to reach its limit
   * linearly; the power flow at that point shows the curvature, and one secant step on the binding node
   * corrects an overshoot.
   */
  private headroomKw(g: number, direction: 1 | -1): number {
    const limitMargin = (v: number): number => (direction > 0 ? v - RANGE_A_MIN_PU : RANGE_A_MAX_PU - v);
    const solveAt = (deltaKw: number): boolean => {
      this.setGroup(g, (this.groupKw[g] ?? 0) + direction * deltaKw);
      // Voltages only: a probe needs no per-branch results.
      const result = this.solver.solveVoltages({ controls: false });
      this.setGroup(g, this.groupKw[g] ?? 0);
      if (result.converged) this.readNodeVoltages(this.probeVPu);
      return result.converged;
    };
    if (!solveAt(PROBE_KW)) return 0;
    let linearKw = Number.POSITIVE_INFINITY;
    for (let n = 0; n < this.nodeVPu.length; n++) {
      if (this.monitored[n] !== 1) continue;
      const base = limitMargin(this.nodeVPu[n] ?? 1);
      if (base <= 0) return 0;
      const slopePerKw = (limitMargin(this.probeVPu[n] ?? 1) - base) / PROBE_KW;
      if (slopePerKw < -1e-12) linearKw = Math.min(linearKw, base / -slopePerKw);
    }
    if (!Number.isFinite(linearKw)) return linearKw;
    if (!solveAt(linearKw)) return 0;
    let binding = -1;
    let bindingMargin = Number.POSITIVE_INFINITY;
    for (let n = 0; n < this.probeVPu.length; n++) {
      const margin = limitMargin(this.probeVPu[n] ?? 1);
      if (this.monitored[n] === 1 && margin < bindingMargin) {
        bindingMargin = margin;
        binding = n;
      }
    }
    if (bindingMargin >= 0 || binding < 0) return linearKw;
    const baseMargin = limitMargin(this.nodeVPu[binding] ?? 1);
    return Math.max(0, (linearKw * baseMargin) / (baseMargin - bindingMargin));
  }

  /** Import headroom before a rated transformer or line reaches 100 %, from a linear probe. */
  private thermalHeadroomKw(g: number, baseLoading: ReadonlyMap<string, number>): number {
    if (baseLoading.size === 0) return Number.POSITIVE_INFINITY;
    this.setGroup(g, (this.groupKw[g] ?? 0) + PROBE_KW);
    const probe = this.solver.solve({ controls: false });
    this.setGroup(g, this.groupKw[g] ?? 0);
    if (!probe.converged) return 0;
    const probeLoading = branchLoadings(probe);
    let headroomKw = Number.POSITIVE_INFINITY;
    baseLoading.forEach((loadingPct, name) => {
      const slopePerKw = ((probeLoading.get(name) ?? loadingPct) - loadingPct) / PROBE_KW;
      if (slopePerKw > 1e-12) headroomKw = Math.min(headroomKw, Math.max(0, 100 - loadingPct) / slopePerKw);
    });
    return headroomKw;
  }

  private setGroup(group: number, pKw: number): void {
    const injection = this.groupInjection[group] ?? -1;
    if (injection < 0) return;
    const loadKvar = pKw > 0 ? pKw * HOME_Q_PER_P : 0;
    this.updater.set(
      injection,
      this.groupPhase[group] ?? 'a',
      pKw,
      loadKvar + (this.groupInverterKvar[group] ?? 0),
    );
  }

  private readNodeVoltages(out: Float64Array): void {
    const { vRe, vIm, prepared } = this.solver;
    for (let n = 0; n < out.length; n++)
      out[n] = Math.hypot(vRe[n] ?? 0, vIm[n] ?? 0) / (prepared.nodeBaseV[n] ?? 1);
  }

  private summarise(result: PowerFlowResult): FeederSlotState {
    const { busMinVPu, busMaxVPu, nodeVPu } = this;
    busMinVPu.fill(Number.POSITIVE_INFINITY);
    busMaxVPu.fill(Number.NEGATIVE_INFINITY);
    let minVPu = Number.POSITIVE_INFINITY;
    let maxVPu = Number.NEGATIVE_INFINITY;
    let violatingNodes = 0;
    for (let n = 0; n < nodeVPu.length; n++) {
      const v = nodeVPu[n] ?? 1;
      const bus = this.busOfNode[n] ?? -1;
      if (bus >= 0) {
        if (v < (busMinVPu[bus] ?? Infinity)) busMinVPu[bus] = v;
        if (v > (busMaxVPu[bus] ?? -Infinity)) busMaxVPu[bus] = v;
      }
      // The source holds its own voltage; the KPIs are about the feeder the load can move.
      if (this.monitored[n] !== 1) continue;
      if (v < minVPu) minVPu = v;
      if (v > maxVPu) maxVPu = v;
      if (v < RANGE_A_MIN_PU || v > RANGE_A_MAX_PU) violatingNodes++;
    }
    let violatingBuses = 0;
    const sourceBus = this.busNames.indexOf(this.solver.prepared.network.source.bus);
    for (let b = 0; b < busMinVPu.length; b++) {
      if (b === sourceBus) continue;
      if ((busMinVPu[b] ?? 1) < RANGE_A_MIN_PU || (busMaxVPu[b] ?? 1) > RANGE_A_MAX_PU) violatingBuses++;
    }
    let transformerLoadingPct = 0;
    let lineLoadingPct = Number.NaN;
    for (const branch of result.branches) {
      if (branch.loadingPct === undefined) continue;
      if (branch.kind === 'transformer')
        transformerLoadingPct = Math.max(transformerLoadingPct, branch.loadingPct);
      if (branch.kind === 'line')
        lineLoadingPct = Math.max(Number.isNaN(lineLoadingPct) ? 0 : lineLoadingPct, branch.loadingPct);
    }
    return {
      converged: result.converged,
      minVPu,
      maxVPu,
      violatingNodes,
      violatingBuses,
      lossesKw: result.lossesKw,
      transformerLoadingPct,
      lineLoadingPct,
      busMinVPu,
      busMaxVPu,
    };
  }
}

function branchLoadings(result: PowerFlowResult): Map<string, number> {
  const loadings = new Map<string, number>();
  for (const branch of result.branches) {
    if (branch.loadingPct !== undefined && (branch.kind === 'transformer' || branch.kind === 'line')) {
      loadings.set(branch.name, branch.loadingPct);
    }
  }
  return loadings;
}
