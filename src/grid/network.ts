/**
 * The unbalanced three-phase distribution network model: the solver's input, independent of any file
 * format (Kersting CSV, radial CSV and OpenDSS readers all build this). Every number carries its unit.
 *
 * Conventions:
 * - Phase matrices are 3x3 over phases a, b, c in that order (row-major, 9 entries); rows and columns of
 *   phases a branch does not have are zero and are ignored.
 * - Powers follow DESIGN.md's load reference: positive is consumption, negative is generation.
 * - A transformer's "high" winding is the one at `from` and its "low" winding the one at `to`, as in the
 *   Kersting CSV (`kv_high` is the rating of the winding at bus1); a step-up unit simply has
 *   `kvHigh < kvLow`.
 */
export type Phase = 'a' | 'b' | 'c';
export const PHASES: readonly Phase[] = ['a', 'b', 'c'];
export const phaseIndex = (phase: Phase): 0 | 1 | 2 => (phase === 'a' ? 0 : phase === 'b' ? 1 : 2);

export interface Complex {
  readonly re: number;
  readonly im: number;
}

/** A complex 3x3 phase matrix, row-major over a, b, c: entry (i, j) is at index 3 * i + j. */
export interface PhaseMatrix {
  readonly re: readonly number[];
  readonly im: readonly number[];
}

export type WindingConnection = 'wye-grounded' | 'wye' | 'delta';
/** Loads and capacitors: wye elements sit phase to ground, delta ones phase to phase. */
export type ShuntConnection = 'wye' | 'delta';

export interface Bus {
  readonly name: string;
  readonly phases: readonly Phase[];
  /** Nominal line-to-line kV; derived from the source and the transformers when absent. */
  readonly nominalKvLL?: number;
  readonly x?: number;
  readonly y?: number;
}

export interface Line {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  /** Total series impedance of the segment, ohm. */
  readonly seriesImpedanceOhm: PhaseMatrix;
  /** Total shunt admittance of the segment, siemens (split half at each end, the pi model). */
  readonly shuntAdmittanceS: PhaseMatrix;
  /** Ampacity, when known, for the loading figure of the results. */
  readonly ratingA?: number;
}

/** Two-winding three-phase transformer (a bank of three single-phase units). */
export interface Transformer {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  /** Winding at `from`. */
  readonly connectionHigh: WindingConnection;
  /** Winding at `to`. */
  readonly connectionLow: WindingConnection;
  /** Winding ratings, line-to-line kV. */
  readonly kvHigh: number;
  readonly kvLow: number;
  /** Three-phase rating. */
  readonly kva: number;
  /** Leakage resistance and reactance, per unit on the transformer's own rating. */
  readonly resistancePu: number;
  readonly reactancePu: number;
}

/** Automatic voltage control of a step-voltage regulator (settings on the 120 V relay base). */
export interface RegulatorControl {
  readonly bandCenterV: number;
  readonly bandwidthV: number;
  /** Potential transformer ratio (line-to-neutral volts : relay volts). */
  readonly ptRatio: number;
  /** Current transformer primary rating, amperes (secondary 1 A). */
  readonly ctRatingA: number;
  /** Line-drop compensation settings, volts on the relay base at rated CT current. */
  readonly ldcResistanceV: number;
  readonly ldcReactanceV: number;
  /** Time delay; in a static solve it orders which regulator acts first. */
  readonly timeDelayS: number;
}

/**
 * Wye-connected single-phase step regulators on 1–3 phases: V_to = (1 + stepPu * tap) * V_from per
 * phase (an ideal variable-ratio transformer).
 */
export interface Regulator {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  /** Starting (or fixed) tap per phase, in steps; index 0 = phase a. */
  readonly tapSteps: readonly [number, number, number];
  /** When present the taps move until the compensated voltage sits in the band. */
  readonly control?: RegulatorControl;
  /** Defaults: 16 steps each way, 0.00625 pu per step. */
  readonly maxTapSteps?: number;
  readonly stepPu?: number;
}

export interface Switch {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  readonly closed: boolean;
}

export interface PhasePower {
  /** For a wye element the phase; for a delta element the branch that starts at this phase (a → ab). */
  readonly phase: Phase;
  readonly pKw: number;
  readonly qKvar: number;
}

export type LoadModel = 'constant-power' | 'constant-impedance' | 'constant-current' | 'zip';

/** Fractions of the nominal power drawn as constant Z, I and P; they sum to 1. */
export interface ZipFractions {
  readonly impedance: number;
  readonly current: number;
  readonly power: number;
}

export interface Load {
  readonly name: string;
  readonly bus: string;
  readonly connection: ShuntConnection;
  readonly model: LoadModel;
  readonly zip?: ZipFractions;
  /** Power drawn at nominal voltage. */
  readonly phasePowers: readonly PhasePower[];
  /** Rated line-to-line kV of the load; the bus's nominal voltage when absent. */
  readonly nominalKvLL?: number;
}

/**
 * A load spread uniformly along a line. `'kersting-exact'` lumps 2/3 of it at 1/4 of the length (a new
 * bus splits the line) and 1/3 at the far end; `'half-each-end'` puts half at each end.
 */
export interface DistributedLoad extends Omit<Load, 'bus'> {
  readonly line: string;
  readonly lumping?: 'kersting-exact' | 'half-each-end';
}

export interface CapacitorVoltageControl {
  /** Switch on below this voltage and off above the other (pu of the bus nominal). */
  readonly onBelowVPu: number;
  readonly offAboveVPu: number;
}

export interface Capacitor {
  readonly name: string;
  readonly bus: string;
  readonly connection: ShuntConnection;
  /** kvar per phase (or per delta branch) at rated voltage. */
  readonly phaseKvar: readonly { readonly phase: Phase; readonly kvar: number }[];
  /** Rated line-to-line kV; the bus nominal when absent. */
  readonly ratedKvLL?: number;
  readonly control?: CapacitorVoltageControl;
  /** Initial state; default on. */
  readonly closed?: boolean;
}

/** A DER or any other constant-power injection, load reference: generation is negative P. */
export interface Injection {
  readonly name: string;
  readonly bus: string;
  readonly phasePowers: readonly PhasePower[];
}

export interface Source {
  readonly bus: string;
  readonly kvLL: number;
  /** Per-phase magnitude, pu of nominal line-to-neutral; default [1, 1, 1]. */
  readonly vPu?: readonly [number, number, number];
  /** Angle of phase a; b and c follow at -120 and +120 degrees. */
  readonly angleDeg?: number;
}

export interface Network {
  readonly name: string;
  readonly buses: readonly Bus[];
  readonly lines: readonly Line[];
  readonly transformers: readonly Transformer[];
  readonly regulators: readonly Regulator[];
  readonly switches: readonly Switch[];
  readonly loads: readonly Load[];
  readonly distributedLoads: readonly DistributedLoad[];
  readonly capacitors: readonly Capacitor[];
  readonly injections: readonly Injection[];
  readonly source: Source;
  /** A balanced single-phase equivalent: results are reported for phase a only. */
  readonly balancedEquivalent?: boolean;
}

/** An empty network around a source, for readers to fill in. */
export function emptyNetwork(name: string, source: Source): Network {
  return {
    name,
    buses: [],
    lines: [],
    transformers: [],
    regulators: [],
    switches: [],
    loads: [],
    distributedLoads: [],
    capacitors: [],
    injections: [],
    source,
  };
}

export const ZERO_PHASE_MATRIX: PhaseMatrix = { re: new Array(9).fill(0), im: new Array(9).fill(0) };

/** Upper triangle aa, ab, ac, bb, bc, cc of a symmetric matrix to its full 3x3 form. */
export function symmetricPhaseMatrix(upperRe: readonly number[], upperIm: readonly number[]): PhaseMatrix {
  const at = (u: readonly number[], i: number): number => u[i] ?? 0;
  const full = (u: readonly number[]): number[] => [
    at(u, 0), at(u, 1), at(u, 2),
    at(u, 1), at(u, 3), at(u, 4),
    at(u, 2), at(u, 4), at(u, 5),
  ]; // prettier-ignore
  return { re: full(upperRe), im: full(upperIm) };
}

export function scalePhaseMatrix(matrix: PhaseMatrix, factor: number): PhaseMatrix {
  return { re: matrix.re.map((v) => v * factor), im: matrix.im.map((v) => v * factor) };
}

/** A line segment from per-length matrices (ohm and siemens per unit length) and its length. */
export function lineFromPerLength(spec: {
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  readonly impedanceOhmPerUnitLength: PhaseMatrix;
  readonly admittanceSPerUnitLength: PhaseMatrix;
  /** In the same length unit as the matrices. */
  readonly length: number;
  readonly ratingA?: number;
}): Line {
  return {
    name: spec.name,
    from: spec.from,
    to: spec.to,
    phases: spec.phases,
    seriesImpedanceOhm: scalePhaseMatrix(spec.impedanceOhmPerUnitLength, spec.length),
    shuntAdmittanceS: scalePhaseMatrix(spec.admittanceSPerUnitLength, spec.length),
    ...(spec.ratingA === undefined ? {} : { ratingA: spec.ratingA }),
  };
}

export { validateNetwork } from './network-validation.js';
export { perLengthMatricesFromGeometry } from './line-geometry.js';
export type { ConductorPosition, LineGeometry, PerLengthMatrices } from './line-geometry.js';
