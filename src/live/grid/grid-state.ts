/**
 * The live feeder as the API shows it (contract B of the dashboard, docs/api.md): the feeder's drawing
 * (buses, branches, substation, who is connected where) and, per settled slot, the solved grid state.
 * Plain data: what the monitor stores and the routes send.
 */
import type { Phase } from '../../grid/network.js';

/** A participant's premises meter on a bus phase of the feeder. */
export interface GridConnection {
  readonly participantId: string;
  readonly bus: string;
  readonly phase: Phase;
}

export type GridBranchKind = 'line' | 'transformer' | 'regulator' | 'switch';

export interface GridFeederView {
  readonly feederId: string;
  readonly marketId: string;
  /** Coordinates as the feeder file gives them (IEEE 13: a drawing grid), null where it gives none. */
  readonly buses: readonly {
    readonly id: string;
    readonly xM: number | null;
    readonly yM: number | null;
    readonly kvLL: number;
  }[];
  /** Every branch (lines, transformers, regulators, closed switches), so the drawing is connected. */
  readonly lines: readonly {
    readonly id: string;
    readonly fromBus: string;
    readonly toBus: string;
    readonly kind: GridBranchKind;
    readonly ratingA?: number;
  }[];
  readonly substation: { readonly bus: string; readonly capacityKw: number };
  readonly connections: readonly GridConnection[];
}

export type GridViolationKind = 'undervoltage' | 'overvoltage' | 'overload' | 'substation';

export interface GridViolation {
  readonly kind: GridViolationKind;
  /** A bus (voltage), a branch (overload) or the substation bus. */
  readonly elementId: string;
  /** vPu for voltages, loadingPct for overloads, kW for the substation. */
  readonly value: number;
  readonly limit: number;
}

export interface GridEnvelope {
  readonly participantId: string;
  /** kW the connection may import / export next slot; null: no limit found (or no solved state). */
  readonly importLimitKw: number | null;
  readonly exportLimitKw: number | null;
}

/**
 * One slot's solved feeder. Voltages and flows are null when the power flow did not converge (the
 * state still says which slot and that it failed).
 */
export interface GridState {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly solvedMs: number;
  readonly converged: boolean;
  /** Why it did not converge, when it did not. */
  readonly reason?: string;
  /** What the solve took, ms of real time. */
  readonly solveMs: number;
  /** Metered load of all connections (load reference, kW averaged over the slot). */
  readonly meteredKw: number;
  /** Connections with no reading in the slot (solved as 0 kW). */
  readonly connectionsWithoutReadings: number;
  readonly substationKw: number | null;
  readonly capacityKw: number;
  readonly lossesKw: number | null;
  readonly vMinPu: number | null;
  readonly vMaxPu: number | null;
  readonly maxLoadingPct: number | null;
  readonly buses: readonly { readonly id: string; readonly vMinPu: number; readonly vMaxPu: number }[];
  readonly lines: readonly {
    readonly id: string;
    readonly powerKw: number;
    /** Highest phase current entering the branch, A: a loading view where the branch has no rating. */
    readonly currentA: number;
    /** Null where the branch has no rating (the IEEE 13 data give none for its lines). */
    readonly loadingPct: number | null;
  }[];
  readonly violations: readonly GridViolation[];
  readonly envelopes: readonly GridEnvelope[];
}

/** What `GET /api/grid/states` lists and the `grid-solved` event carries. */
export interface GridStateSummary {
  readonly slotStartMs: number;
  readonly solvedMs: number;
  readonly converged: boolean;
  readonly substationKw: number | null;
  readonly capacityKw: number;
  readonly vMinPu: number | null;
  readonly vMaxPu: number | null;
  readonly maxLoadingPct: number | null;
  readonly violationCount: number;
}

export function summaryOf(state: GridState): GridStateSummary {
  return {
    slotStartMs: state.slotStartMs,
    solvedMs: state.solvedMs,
    converged: state.converged,
    substationKw: state.substationKw,
    capacityKw: state.capacityKw,
    vMinPu: state.vMinPu,
    vMaxPu: state.vMaxPu,
    maxLoadingPct: state.maxLoadingPct,
    violationCount: state.violations.length,
  };
}
