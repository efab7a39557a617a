/**
 * One settled slot on the feeder: the connections' metered loads go onto the simulator's FeederFlow, the
 * power flow is solved, and the result becomes the API's grid state: voltages per bus, power and loading
 * per branch, violations of ANSI C84.1 Range A, branch ratings and the substation's capacity, losses, and
 * each connection's operating envelope for the next slot as the simulator computes it (FeederFlow
 * envelopes, which FeederRun uses). A solver that fails or throws gives a state with converged=false.
 */
import type { FeederFlow, FeederSlotState } from '../../sim/feeder/feeder-flow.js';
import { RANGE_A_MAX_PU, RANGE_A_MIN_PU } from '../../sim/feeder/feeder-flow.js';
import type { GridFeeder } from './grid-feeder.js';
import type { GridEnvelope, GridState, GridViolation } from './grid-state.js';

export interface SlotLoads {
  readonly marketId: string;
  readonly slotStartMs: number;
  /** Average load of each connection over the slot, kW, in the order of `feeder.connections`. */
  readonly loadKw: Float64Array;
  readonly connectionsWithoutReadings: number;
}

/** `nowMs` gives the solve time (clock ms) and `elapsedMs` real time for the figure the state reports. */
export function solveGridState(
  feeder: GridFeeder,
  flow: FeederFlow,
  loads: SlotLoads,
  nowMs: () => number,
  elapsedMs: () => number,
): GridState {
  const started = elapsedMs();
  const base = {
    marketId: loads.marketId,
    slotStartMs: loads.slotStartMs,
    meteredKw: loads.loadKw.reduce((sum, kw) => sum + kw, 0),
    connectionsWithoutReadings: loads.connectionsWithoutReadings,
    capacityKw: feeder.capacityKw,
  };
  let summary: FeederSlotState;
  try {
    summary = flow.solve(loads.loadKw);
  } catch (error) {
    return failed(base, `the power flow failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  const result = flow.lastSolved;
  if (!summary.converged || result === null) {
    return failed(base, result?.reason ?? 'the power flow did not converge');
  }
  const importKw = new Float64Array(loads.loadKw.length);
  const exportKw = new Float64Array(loads.loadKw.length);
  let envelopes: GridEnvelope[];
  try {
    flow.envelopes(loads.loadKw, importKw, exportKw);
    envelopes = feeder.connections.map((c, k) => ({
      participantId: c.participantId,
      importLimitKw: finiteOrNull(importKw[k]),
      exportLimitKw: finiteOrNull(exportKw[k]),
    }));
  } catch {
    // The state is solved; only the envelopes' probes failed: no limits rather than no state.
    envelopes = feeder.connections.map((c) => ({
      participantId: c.participantId,
      importLimitKw: null,
      exportLimitKw: null,
    }));
  }
  const sourceBus = feeder.network.source.bus;
  const violations: GridViolation[] = [];
  const buses = flow.busNames.map((id, b) => {
    const vMinPu = summary.busMinVPu[b] ?? Number.NaN;
    const vMaxPu = summary.busMaxVPu[b] ?? Number.NaN;
    if (id !== sourceBus) {
      if (vMinPu < RANGE_A_MIN_PU)
        violations.push({ kind: 'undervoltage', elementId: id, value: vMinPu, limit: RANGE_A_MIN_PU });
      if (vMaxPu > RANGE_A_MAX_PU)
        violations.push({ kind: 'overvoltage', elementId: id, value: vMaxPu, limit: RANGE_A_MAX_PU });
    }
    return { id, vMinPu, vMaxPu };
  });
  let maxLoadingPct: number | null = null;
  const lines = result.branches.map((branch) => {
    const loadingPct = branch.loadingPct ?? null;
    if (loadingPct !== null) {
      maxLoadingPct = Math.max(maxLoadingPct ?? 0, loadingPct);
      if (loadingPct > 100)
        violations.push({ kind: 'overload', elementId: branch.name, value: loadingPct, limit: 100 });
    }
    const currentA = branch.currents.reduce((max, c) => Math.max(max, c.magA), 0);
    return { id: branch.name, powerKw: branch.powerInKw, currentA, loadingPct };
  });
  const substationKw = result.substation.pKw;
  if (substationKw > feeder.capacityKw) {
    violations.push({
      kind: 'substation',
      elementId: sourceBus,
      value: substationKw,
      limit: feeder.capacityKw,
    });
  }
  return {
    ...base,
    solvedMs: nowMs(),
    converged: true,
    solveMs: elapsedMs() - started,
    substationKw,
    lossesKw: summary.lossesKw,
    vMinPu: summary.minVPu,
    vMaxPu: summary.maxVPu,
    maxLoadingPct,
    buses,
    lines,
    violations,
    envelopes,
  };

  function failed(common: typeof base, reason: string): GridState {
    return {
      ...common,
      solvedMs: nowMs(),
      converged: false,
      reason,
      solveMs: elapsedMs() - started,
      substationKw: null,
      lossesKw: null,
      vMinPu: null,
      vMaxPu: null,
      maxLoadingPct: null,
      buses: [],
      lines: [],
      violations: [],
      envelopes: feeder.connections.map((c) => ({
        participantId: c.participantId,
        importLimitKw: null,
        exportLimitKw: null,
      })),
    };
  }
}

function finiteOrNull(value: number | undefined): number | null {
  return value !== undefined && Number.isFinite(value) ? value : null;
}
