/**
 * The `LpSolver` port on HiGHS (the `highs` package, WASM). Loading the WASM module is asynchronous, so
 * the composition root awaits `createHighsLpSolver()` once and hands the solver to the market; each
 * solve after that is synchronous and uses a fresh HiGHS model, so solves share no state.
 */
import highsModule from 'highs';
import type { Highs } from 'highs';
import type { LinearProgram, LpSolution, LpSolver, LpStatus } from '../market/grid-aware/linear-program.js';

// The package's types describe a CommonJS module under NodeNext (the loader is `.default`), while Node
// and Vite load its ESM build, whose default export is the loader itself: accept both.
const loadHighs: typeof highsModule.default =
  typeof highsModule === 'function' ? highsModule : highsModule.default;

/**
 * Tolerances tighter than HiGHS's defaults (1e-7) so limits hold and bids bound prices well within 1e-7.
 * Presolve off: on the clearing programs (thousands of bounded columns, a few rows) it costs more than the
 * simplex itself (10,000 rows of the IEEE 123 benchmark: 340 ms with it, 44 ms without).
 */
const SOLVER_OPTIONS = {
  output_flag: false,
  presolve: 'off',
  primal_feasibility_tolerance: 1e-9,
  dual_feasibility_tolerance: 1e-9,
} as const;

export async function createHighsLpSolver(): Promise<LpSolver> {
  const highs = await loadHighs();
  return { name: 'HiGHS', solve: (program) => solveWithHighs(highs, program) };
}

function solveWithHighs(highs: Highs, program: LinearProgram): LpSolution {
  const columns = program.cost.length;
  const rows = program.rowLower.length;
  const failed = (status: LpStatus, message: string): LpSolution => ({
    status,
    objective: Number.NaN,
    columnValue: new Float64Array(columns),
    rowDual: new Float64Array(rows),
    message,
  });
  try {
    return highs.withModel(
      {
        numCols: columns,
        numRows: rows,
        sense:
          program.sense === 'maximize'
            ? highs.constants.objectiveSense.maximize
            : highs.constants.objectiveSense.minimize,
        colCost: program.cost,
        colLower: program.columnLower,
        colUpper: program.columnUpper,
        rowLower: program.rowLower,
        rowUpper: program.rowUpper,
        matrix: {
          format: 'csc',
          numRows: rows,
          numCols: columns,
          starts: program.columnStart,
          indices: program.entryRow,
          values: program.entryValue,
        },
      },
      (model) => {
        model.options.set(SOLVER_OPTIONS);
        model.run();
        const status = model.getModelStatus();
        const codes = highs.constants.modelStatus;
        if (status === codes.optimal || status === codes.empty) {
          const solution = model.getSolution();
          const optimal: LpSolution = {
            status: 'optimal',
            objective: model.getObjectiveValue(),
            columnValue: solution.colValue,
            // HiGHS's row duals are d(objective)/d(bound) in either sense: the port's convention.
            rowDual: solution.rowDual,
          };
          return optimal;
        }
        if (status === codes.infeasible) return failed('infeasible', 'HiGHS proved the program infeasible');
        if (status === codes.unbounded || status === codes.unboundedOrInfeasible)
          return failed('unbounded', 'HiGHS found the program unbounded (or infeasible)');
        return failed('failed', `HiGHS ended with model status ${status}`);
      },
    );
  } catch (error) {
    return failed('failed', `HiGHS failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
