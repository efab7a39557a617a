/**
 * Controls and ratings on CSV feeders: the IEEE 13 regulator under band control, a voltage-switched
 * capacitor, and transformer loading from its kVA rating (the simulation's peak-loading KPI reads it).
 */
import { describe, expect, it } from 'vitest';
import { parseKerstingCsv } from '../../src/grid/formats/kersting-csv.js';
import type { Network, RegulatorControl } from '../../src/grid/network.js';
import { PowerFlowSolver, solvePowerFlow } from '../../src/grid/power-flow.js';
import type { PowerFlowResult } from '../../src/grid/power-flow-result.js';
import { feederFiles } from './feeder-fixtures.js';

const ieee13 = (): Network => parseKerstingCsv(feederFiles('ieee-13'));

/** Kersting's settings for the IEEE 13 regulator (Distribution System Modeling and Analysis, ex. 7.x). */
const RG60_CONTROL: RegulatorControl = {
  bandCenterV: 122,
  bandwidthV: 2,
  ptRatio: 20,
  ctRatingA: 700,
  ldcResistanceV: 3,
  ldcReactanceV: 9,
  timeDelayS: 30,
};

const minVPu = (result: PowerFlowResult, bus: string): number =>
  Math.min(...result.buses.find((b) => b.name === bus)!.lineToNeutral.map((v) => v.vPu));

describe('automatic regulator on IEEE 13', () => {
  it('moves the taps from neutral until the compensated relay voltage is in the band', () => {
    const base = ieee13();
    const network: Network = {
      ...base,
      regulators: base.regulators.map((r) => ({ ...r, tapSteps: [0, 0, 0], control: RG60_CONTROL })),
    };
    const solver = new PowerFlowSolver(network);
    const neutral = solver.solve({ controls: false });
    const result = solver.solve();
    expect(result.converged, result.reason).toBe(true);
    const taps = result.regulatorTaps[0]!.tapSteps;
    console.log(
      `IEEE 13 band control: taps ${taps.join(', ')} (published 10, 8, 11); min V at 671 ${minVPu(neutral, '671').toFixed(4)} → ${minVPu(result, '671').toFixed(4)} pu; ${result.totalIterations} iterations in all`,
    );
    for (const t of taps) expect(t).toBeGreaterThan(4);
    // The relay voltage of each phase, recomputed from the results, sits in the band.
    const branch = result.branches.find((b) => b.kind === 'regulator')!;
    const bus60 = result.buses.find((b) => b.name === '60')!;
    for (const current of branch.currents) {
      const v = bus60.lineToNeutral.find((x) => x.phase === current.phase)!;
      const n = 1 + 0.00625 * taps['abc'.indexOf(current.phase)]!;
      // Current out of the regulator = current in / n (ideal), then the compensator drop.
      const iRe = current.re / n;
      const iIm = current.im / n;
      const dropRe =
        (RG60_CONTROL.ldcResistanceV * iRe - RG60_CONTROL.ldcReactanceV * iIm) / RG60_CONTROL.ctRatingA;
      const dropIm =
        (RG60_CONTROL.ldcResistanceV * iIm + RG60_CONTROL.ldcReactanceV * iRe) / RG60_CONTROL.ctRatingA;
      const relayV = Math.hypot(v.re / RG60_CONTROL.ptRatio - dropRe, v.im / RG60_CONTROL.ptRatio - dropIm);
      expect(relayV).toBeGreaterThanOrEqual(121 - 1e-6);
      expect(relayV).toBeLessThanOrEqual(123 + 1e-6);
    }
    expect(minVPu(result, '671')).toBeGreaterThan(minVPu(neutral, '671') + 0.03);
  });
});

describe('voltage-switched capacitor', () => {
  it('switches on below its threshold and the voltage recovers', () => {
    const base = ieee13();
    // Both capacitors start open; the one at 675 is voltage controlled, the other stays open.
    const network: Network = {
      ...base,
      capacitors: base.capacitors.map((c) =>
        c.bus === '675'
          ? { ...c, closed: false, control: { onBelowVPu: 0.98, offAboveVPu: 1.06 } }
          : { ...c, closed: false },
      ),
    };
    const solver = new PowerFlowSolver(network);
    const open = solver.solve({ controls: false });
    expect(open.capacitorStates.every((c) => !c.closed)).toBe(true);
    expect(minVPu(open, '675')).toBeLessThan(0.98);
    const controlled = solver.solve();
    expect(controlled.converged, controlled.reason).toBe(true);
    const state = controlled.capacitorStates.find((c) => c.name.startsWith('cap-675'))!;
    expect(state.closed).toBe(true);
    expect(controlled.capacitorStates.find((c) => c.name.startsWith('cap-611'))!.closed).toBe(false);
    console.log(
      `capacitor 675: min V ${minVPu(open, '675').toFixed(4)} pu open → ${minVPu(controlled, '675').toFixed(4)} pu switched on`,
    );
    expect(minVPu(controlled, '675')).toBeGreaterThan(minVPu(open, '675') + 0.005);
    expect(controlled.shuntKvar).toBeLessThan(open.shuntKvar - 500);
  });
});

describe('branch loading', () => {
  it('reports transformer loading from its kVA rating (IEEE 13 XFM-1, 500 kVA at 4.16 kV)', () => {
    const result = solvePowerFlow(ieee13());
    const xfm = result.branches.find((b) => b.kind === 'transformer')!;
    const ratedA = 500 / (Math.sqrt(3) * 4.16);
    const maxA = Math.max(...xfm.currents.map((c) => c.magA));
    expect(xfm.loadingPct).toBeDefined();
    expect(xfm.loadingPct!).toBeCloseTo((100 * maxA) / ratedA, 9);
    console.log(
      `XFM-1: ${maxA.toFixed(2)} A of ${ratedA.toFixed(2)} A rated: loading ${xfm.loadingPct!.toFixed(1)} %`,
    );
    // The 634 load is about 0.5 MVA on a 0.5 MVA unit, unbalanced: phase a near full load.
    expect(xfm.loadingPct!).toBeGreaterThan(90);
    expect(xfm.loadingPct!).toBeLessThan(130);
    // Lines without an ampacity and the uncontrolled regulator carry no loading figure.
    expect(result.branches.filter((b) => b.kind === 'line').every((b) => b.loadingPct === undefined)).toBe(
      true,
    );
  });
});
