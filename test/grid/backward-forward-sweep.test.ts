/**
 * The solver against an independent backward/forward sweep (Kersting's generalised matrices, written
 * apart from the solver in backward-forward-sweep.ts) on radial feeders, where both model the same
 * physics. Aligned modelling choices, stated once:
 * - IEEE 13: the distributed load 632–671 is lumped half at each end in both (the reader's
 *   'half-each-end'); the regulator keeps the published fixed taps (10, 8, 11); the open switches are
 *   not in the segment list (the feeder is radial as given); loads are constant PQ, Z and I as in the
 *   data, the 671 and 646/692 delta loads included.
 * - The solver models closed switches and regulators as a 1e-8·kV² Ω series impedance (to keep Y_ff
 *   regular) where the sweep uses ideal elements: a difference of about 1e-8 pu at these currents.
 * - Voltages are compared as complex phasors in pu of the bus's nominal line-to-neutral voltage,
 *   currents in amperes.
 */
import { describe, expect, it } from 'vitest';
import { parseKerstingCsv } from '../../src/grid/formats/kersting-csv.js';
import { parseRadialCsv } from '../../src/grid/formats/radial-csv.js';
import type { Network } from '../../src/grid/network.js';
import { solvePowerFlow } from '../../src/grid/power-flow.js';
import { backwardForwardSweep } from './backward-forward-sweep.js';
import { feederFiles } from './feeder-fixtures.js';

const PHASES = ['a', 'b', 'c'] as const;

function crossCheck(network: Network): {
  maxVPu: number;
  maxIA: number;
  maxIRel: number;
  sweepIterations: number;
} {
  const result = solvePowerFlow(network, { tolerancePu: 1e-12 });
  expect(result.converged, result.reason).toBe(true);
  const sweep = backwardForwardSweep(network, 1e-12);
  let maxVPu = 0;
  for (const bus of result.buses) {
    const expected = sweep.voltages.get(bus.name)!;
    const baseV = (bus.nominalKvLL * 1000) / Math.sqrt(3);
    for (const v of bus.lineToNeutral) {
      const p = PHASES.indexOf(v.phase as 'a');
      const diff = Math.hypot(v.re - expected.re[p]!, v.im - expected.im[p]!) / baseV;
      maxVPu = Math.max(maxVPu, diff);
    }
  }
  let maxIA = 0;
  let maxIRel = 0;
  for (const branch of result.branches) {
    const expected = sweep.currents.get(branch.name)!;
    for (const i of branch.currents) {
      const p = PHASES.indexOf(i.phase);
      const diff = Math.hypot(i.re - expected.re[p]!, i.im - expected.im[p]!);
      maxIA = Math.max(maxIA, diff);
      maxIRel = Math.max(maxIRel, diff / Math.max(1, Math.hypot(expected.re[p]!, expected.im[p]!)));
    }
  }
  return { maxVPu, maxIA, maxIRel, sweepIterations: sweep.iterations };
}

function report(name: string, r: ReturnType<typeof crossCheck>): void {
  console.log(
    `${name}: solver vs sweep max |ΔV| ${r.maxVPu.toExponential(2)} pu, max |ΔI| ${r.maxIA.toExponential(2)} A (${r.maxIRel.toExponential(2)} relative); sweep ${r.sweepIterations} iterations`,
  );
}

describe('cross-check against an independent backward/forward sweep', () => {
  it('IEEE 13 (fixed taps, half-each-end lumping, PQ/Z/I wye and delta loads): within 1e-6 pu', () => {
    const network = parseKerstingCsv(feederFiles('ieee-13'), { distributedLoadLumping: 'half-each-end' });
    const r = crossCheck(network);
    report('IEEE 13', r);
    expect(r.maxVPu).toBeLessThan(1e-6);
    expect(r.maxIRel).toBeLessThan(1e-5);
  });

  it.each(['balanced', 'unbalanced'] as const)(
    'IEEE 4 grY-grY step-down, %s loads: within 1e-6 pu',
    (loads) => {
      const network = parseKerstingCsv(feederFiles('ieee-4'), { spotLoadsFile: `spot_loads_${loads}.csv` });
      const r = crossCheck(network);
      report(`IEEE 4 grY-grY ${loads}`, r);
      expect(r.maxVPu).toBeLessThan(1e-6);
      expect(r.maxIRel).toBeLessThan(1e-6);
    },
  );

  it('Baran & Wu 33-bus: within 1e-6 pu', () => {
    const r = crossCheck(parseRadialCsv(feederFiles('radial/case33bw')));
    report('case33bw', r);
    expect(r.maxVPu).toBeLessThan(1e-6);
    expect(r.maxIRel).toBeLessThan(1e-6);
  });

  it('the sweep itself refuses what it does not model', () => {
    const network = parseKerstingCsv(feederFiles('ieee-13'), { distributedLoadLumping: 'kersting-exact' });
    expect(() => backwardForwardSweep(network)).toThrow(/half at each end/);
  });
});
