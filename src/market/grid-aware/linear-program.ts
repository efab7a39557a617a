/**
 * A linear program as typed arrays, and the solver port grid-aware clearing solves it through. The
 * market stays pure and synchronous: a solver (HiGHS in `src/engine/highs-lp-solver.ts`, loaded once at
 * the edge because its WASM loads asynchronously) is passed in, and `solve` itself blocks.
 *
 *   optimise   Σ cost[j] · x[j]
 *   subject to rowLower[r] ≤ Σ_j A[r][j] · x[j] ≤ rowUpper[r]   (±Infinity for a missing side)
 *              columnLower[j] ≤ x[j] ≤ columnUpper[j]
 *
 * A is stored by column (compressed sparse column): column j's entries are at positions
 * columnStart[j] .. columnStart[j + 1] − 1 of `entryRow` / `entryValue`.
 */
export interface LinearProgram {
  readonly sense: 'maximize' | 'minimize';
  readonly cost: Float64Array;
  readonly columnLower: Float64Array;
  readonly columnUpper: Float64Array;
  readonly rowLower: Float64Array;
  readonly rowUpper: Float64Array;
  /** Length columns + 1. */
  readonly columnStart: Int32Array;
  readonly entryRow: Int32Array;
  readonly entryValue: Float64Array;
}

export type LpStatus = 'optimal' | 'infeasible' | 'unbounded' | 'failed';

export interface LpSolution {
  readonly status: LpStatus;
  /** Optimal objective (NaN unless optimal). */
  readonly objective: number;
  readonly columnValue: Float64Array;
  /**
   * Shadow price of each row: d(optimal objective) / d(the row's active bound), in the program's own
   * sense. For a maximisation a binding upper bound has a dual ≥ 0 and a binding lower bound ≤ 0; a row
   * that does not bind has 0. (HiGHS reports exactly this for both senses.)
   */
  readonly rowDual: Float64Array;
  /** What went wrong, when not optimal. */
  readonly message?: string;
}

export interface LpSolver {
  readonly name: string;
  solve(program: LinearProgram): LpSolution;
}

export function columnCount(program: LinearProgram): number {
  return program.cost.length;
}

export function rowCount(program: LinearProgram): number {
  return program.rowLower.length;
}
