/**
 * The Newton fallback: heavily loaded feeders where the current-injection fixed point diverges or
 * crawls, solved by Newton's method on the same equations, checked by the power balance at every node.
 */
import { describe, expect, it } from 'vitest';
import { parseKerstingCsv } from '../../src/grid/formats/kersting-csv.js';
import { parseRadialCsv } from '../../src/grid/formats/radial-csv.js';
import type { Network } from '../../src/grid/network.js';
import { PowerFlowSolver } from '../../src/grid/power-flow.js';
import { maxPowerMismatchPu } from '../../src/grid/power-mismatch.js';
import { backwardForwardSweep } from './backward-forward-sweep.js';
import { feederFiles } from './feeder-fixtures.js';

const mismatch = (solver: PowerFlowSolver, loadScale: number): number =>
  maxPowerMismatchPu(solver.system, solver.shunts, solver.vRe, solver.vIm, loadScale);

const ieee13 = (): Network =>
  parseKerstingCsv(feederFiles('ieee-13'), { distributedLoadLumping: 'half-each-end' });
const case33 = (): Network => parseRadialCsv(feederFiles('radial/case33bw'));

describe('Newton fallback', () => {
  it('IEEE 13 with every load ×3: the fixed point diverges, Newton solves it (mismatch < 1e-6 pu)', () => {
    const alone = new PowerFlowSolver(ieee13()).solve({
      loadScale: 3,
      method: 'fixed-point',
      controls: false,
    });
    expect(alone.converged).toBe(false);
    expect(alone.reason).toMatch(/diverging|no convergence|non-finite/);
    const solver = new PowerFlowSolver(ieee13());
    const result = solver.solve({ loadScale: 3, controls: false });
    expect(result.converged, result.reason).toBe(true);
    expect(result.method).toBe('newton');
    const worst = mismatch(solver, 3);
    const vmin = Math.min(...result.buses.flatMap((b) => b.lineToNeutral.map((v) => v.vPu)));
    console.log(
      `IEEE 13 ×3: fixed point alone: ${alone.reason}; auto: ${result.method} after ${result.totalIterations - result.iterations} fixed-point + ${result.iterations} Newton iterations, max mismatch ${worst.toExponential(2)} pu, min V ${vmin.toFixed(4)} pu`,
    );
    expect(worst).toBeLessThan(1e-6);
    expect(Math.abs(result.substation.pKw - result.shuntKw - result.lossesKw)).toBeLessThan(1e-3);
  });

  it('33-bus ×3.5 (near the nose): the fixed point crawls, Newton takes over within the iteration budget', () => {
    const slow = new PowerFlowSolver(case33()).solve({ loadScale: 3.5, method: 'fixed-point' });
    expect(slow.converged).toBe(true);
    const solver = new PowerFlowSolver(case33());
    const result = solver.solve({ loadScale: 3.5, maxIterations: 20 });
    expect(result.converged, result.reason).toBe(true);
    expect(result.method).toBe('newton');
    const worst = mismatch(solver, 3.5);
    console.log(
      `case33bw ×3.5: fixed point ${slow.iterations} iterations; with 20 allowed it hands over to Newton, ${result.iterations} iterations, max mismatch ${worst.toExponential(2)} pu`,
    );
    expect(worst).toBeLessThan(1e-6);
    // The same operating point as the slow fixed point and the independent sweep.
    const network = case33();
    const scaled: Network = {
      ...network,
      loads: network.loads.map((l) => ({
        ...l,
        phasePowers: l.phasePowers.map((p) => ({ ...p, pKw: 3.5 * p.pKw, qKvar: 3.5 * p.qKvar })),
      })),
    };
    const sweep = backwardForwardSweep(scaled, 1e-12, 5000);
    for (const bus of result.buses) {
      const v = bus.lineToNeutral[0]!;
      const expected = sweep.voltages.get(bus.name)!;
      expect(
        Math.hypot(v.re - expected.re[0]!, v.im - expected.im[0]!) /
          ((bus.nominalKvLL * 1000) / Math.sqrt(3)),
      ).toBeLessThan(1e-6);
    }
  });

  it('Newton alone agrees with the fixed point at normal load, in fewer iterations', () => {
    const fixed = new PowerFlowSolver(ieee13());
    const a = fixed.solve({ tolerancePu: 1e-12 });
    const newton = new PowerFlowSolver(ieee13());
    const b = newton.solve({ tolerancePu: 1e-12, method: 'newton' });
    expect(b.method).toBe('newton');
    expect(b.iterations).toBeLessThan(a.iterations);
    for (let n = 0; n < fixed.vRe.length; n++) {
      const diff = Math.hypot(fixed.vRe[n]! - newton.vRe[n]!, fixed.vIm[n]! - newton.vIm[n]!);
      // 1e-8: the 1e-8 pu switch and regulator impedances limit the agreement of two stopping points.
      expect(diff / fixed.prepared.nodeBaseV[n]!).toBeLessThan(1e-8);
    }
  });

  it('reports no solution, without NaN, beyond the feeder limit (33-bus ×6)', () => {
    const result = new PowerFlowSolver(case33()).solve({ loadScale: 6 });
    expect(result.converged).toBe(false);
    expect(result.method).toBe('newton');
    expect(result.reason).toMatch(/beyond the feeder's limit/);
  });
});
