/**
 * Power-flow results, kept apart from the inputs: voltages per bus and phase, branch currents and
 * flows, losses, the substation's supply, and the final state of the controls.
 */
import type { Phase } from './network.js';

export type LineToLine = 'ab' | 'bc' | 'ca';

export interface PhaseVoltage {
  readonly phase: Phase | LineToLine;
  readonly re: number;
  readonly im: number;
  readonly vMagV: number;
  /** Line-to-neutral: pu of the bus's nominal line-to-neutral voltage; line-to-line: of line-to-line. */
  readonly vPu: number;
  /** Relative to the source's phase-a line-to-neutral voltage. */
  readonly angleDeg: number;
}

export interface BusResult {
  readonly name: string;
  readonly nominalKvLL: number;
  readonly lineToNeutral: readonly PhaseVoltage[];
  readonly lineToLine: readonly PhaseVoltage[];
}

export interface PhaseCurrent {
  readonly phase: Phase;
  readonly re: number;
  readonly im: number;
  readonly magA: number;
  readonly angleDeg: number;
}

export interface BranchResult {
  readonly name: string;
  readonly kind: 'line' | 'transformer' | 'regulator' | 'switch';
  /** Current entering the branch at its from bus, per phase. */
  readonly currents: readonly PhaseCurrent[];
  /** Power entering at the from bus and total series losses, kW and kvar. */
  readonly powerInKw: number;
  readonly powerInKvar: number;
  readonly lossKw: number;
  readonly lossKvar: number;
  /**
   * Highest phase current over the rating, percent, where a rating is known: a line's ampacity, a
   * transformer's rated current at its from winding (kVA and kV), a regulator's CT primary rating.
   */
  readonly loadingPct?: number;
}

export interface SubstationResult {
  readonly phases: readonly { readonly phase: Phase; readonly pKw: number; readonly qKvar: number }[];
  readonly pKw: number;
  readonly qKvar: number;
}

/**
 * Which method produced the voltages: the current-injection fixed point, or Newton's method on the same
 * equations, which the solver falls back to when the fixed point fails (heavy load, large injections).
 */
export type PowerFlowMethod = 'fixed-point' | 'newton';

/** The outcome of a solve without the per-bus and per-branch results (`PowerFlowSolver.solveVoltages`). */
export interface PowerFlowStatus {
  readonly converged: boolean;
  /** Why it did not converge. */
  readonly reason?: string;
  /** Iterations of the last inner solve, and in total over control steps (fixed point plus Newton). */
  readonly iterations: number;
  readonly totalIterations: number;
  /** Largest voltage change of the last iteration, pu. */
  readonly lastChangePu: number;
  /** The method of the last inner solve. */
  readonly method: PowerFlowMethod;
}

export interface PowerFlowResult extends PowerFlowStatus {
  readonly buses: readonly BusResult[];
  readonly branches: readonly BranchResult[];
  readonly lossesKw: number;
  readonly lossesKvar: number;
  readonly substation: SubstationResult;
  /** Power drawn by loads, capacitors (negative kvar) and injections, kW and kvar. */
  readonly shuntKw: number;
  readonly shuntKvar: number;
  readonly regulatorTaps: readonly { readonly name: string; readonly tapSteps: readonly number[] }[];
  readonly capacitorStates: readonly { readonly name: string; readonly closed: boolean }[];
  /** Results are reported for phase a only (balanced single-phase equivalent). */
  readonly balancedEquivalent: boolean;
}
