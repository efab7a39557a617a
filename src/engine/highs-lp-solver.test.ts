import { describe, expect, it } from 'vitest';
import type { LinearProgram } from '../market/grid-aware/linear-program.js';
import { createHighsLpSolver } from './highs-lp-solver.js';

const solver = await createHighsLpSolver();

/** optimise 3x + 2y subject to x + y ≤ 4, x ≤ 3 (as a row), 0 ≤ x, y ≤ 10. */
const program = (sense: LinearProgram['sense'], sign = 1): LinearProgram => ({
  sense,
  cost: Float64Array.of(3 * sign, 2 * sign),
  columnLower: Float64Array.of(0, 0),
  columnUpper: Float64Array.of(10, 10),
  rowLower: Float64Array.of(-Infinity, -Infinity),
  rowUpper: Float64Array.of(4, 3),
  columnStart: Int32Array.of(0, 2, 3),
  entryRow: Int32Array.of(0, 1, 0),
  entryValue: Float64Array.of(1, 1, 1),
});

describe('HiGHS LP solver', () => {
  it('solves and reports row duals as d(objective)/d(bound) in either sense', () => {
    const max = solver.solve(program('maximize'));
    expect(max.status).toBe('optimal');
    expect(max.objective).toBeCloseTo(11, 9);
    expect(Array.from(max.columnValue)).toEqual([3, 1]);
    expect(Array.from(max.rowDual)).toEqual([2, 1]);
    const min = solver.solve(program('minimize', -1));
    expect(min.objective).toBeCloseTo(-11, 9);
    expect(Array.from(min.rowDual)).toEqual([-2, -1]);
  });

  it('reports an infeasible program without throwing', () => {
    const infeasible = { ...program('maximize'), rowLower: Float64Array.of(30, -Infinity) };
    const solution = solver.solve(infeasible);
    expect(solution.status).toBe('infeasible');
    expect(solution.message).toMatch(/infeasible/);
  });
});
