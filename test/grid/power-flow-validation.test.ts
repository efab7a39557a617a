/** The power flow against published results: IEEE 13, IEEE 4 (all connections), Baran & Wu 33, IEEE 34 and 123. */
import { describe, expect, it } from 'vitest';
import { parseKerstingCsv } from '../../src/grid/formats/kersting-csv.js';
import { parseRadialCsv } from '../../src/grid/formats/radial-csv.js';
import { solvePowerFlow } from '../../src/grid/power-flow.js';
import type { PowerFlowResult } from '../../src/grid/power-flow-result.js';
import { angleDiffDeg, feederFiles, golden } from './feeder-fixtures.js';

type Golden13 = {
  buses: Record<string, Record<string, { vPu: number; angleDeg: number }>>;
  substationInput: { total: { kW: number; kvar: number } };
};

function voltage(result: PowerFlowResult, bus: string, phase: string) {
  const v = result.buses.find((b) => b.name === bus)?.lineToNeutral.find((x) => x.phase === phase);
  if (v === undefined) throw new Error(`no voltage for ${bus}.${phase}`);
  return v;
}

describe('IEEE 13-node feeder', () => {
  const expected = golden<Golden13>('ieee13.json');
  it.each(['half-each-end', 'kersting-exact'] as const)(
    'matches every published voltage (%s lumping)',
    (lumping) => {
      const result = solvePowerFlow(
        parseKerstingCsv(feederFiles('ieee-13'), { distributedLoadLumping: lumping }),
      );
      expect(result.converged).toBe(true);
      let maxV = 0;
      let maxA = 0;
      for (const [bus, phases] of Object.entries(expected.buses)) {
        for (const [phase, g] of Object.entries(phases)) {
          const v = voltage(result, bus, phase);
          maxV = Math.max(maxV, Math.abs(v.vPu - g.vPu));
          maxA = Math.max(maxA, angleDiffDeg(v.angleDeg, g.angleDeg));
        }
      }
      console.log(`IEEE 13 (${lumping}): max |dV| ${maxV.toExponential(2)} pu, max |dθ| ${maxA.toFixed(4)}°`);
      expect(maxV).toBeLessThan(0.0005);
      expect(maxA).toBeLessThan(0.05);
      expect(result.substation.pKw).toBeCloseTo(expected.substationInput.total.kW, -1);
      expect(Math.abs(result.substation.pKw - result.shuntKw - result.lossesKw)).toBeLessThan(1e-3);
    },
  );
});

type Golden4 = {
  cases: Record<
    string,
    {
      voltagesLN: Record<string, Record<string, { vLN: number; angleDeg: number }>>;
      lineCurrents: Record<string, Record<string, { amps: number; angleDeg: number }>>;
    }
  >;
};

function ieee4(transformer: string, loads: 'balanced' | 'unbalanced'): PowerFlowResult {
  const files = feederFiles('ieee-4');
  files.set('line_segments.csv', files.get('line_segments.csv')!.replace('grY_grY_trf', transformer));
  return solvePowerFlow(parseKerstingCsv(files, { spotLoadsFile: `spot_loads_${loads}.csv` }));
}

describe('IEEE 4-node feeder', () => {
  const expected = golden<Golden4>('ieee4-gry-gry-stepdown.json');
  it.each(['balanced', 'unbalanced'] as const)(
    'grY-grY step-down, %s: voltages and line currents',
    (loads) => {
      const result = ieee4('grY_grY_trf', loads);
      expect(result.converged).toBe(true);
      const g = expected.cases[loads]!;
      let maxRel = 0;
      let maxA = 0;
      for (const [bus, phases] of Object.entries(g.voltagesLN)) {
        for (const [phase, e] of Object.entries(phases)) {
          const v = voltage(result, bus, phase);
          maxRel = Math.max(maxRel, Math.abs(v.vMagV - e.vLN) / e.vLN);
          maxA = Math.max(maxA, angleDiffDeg(v.angleDeg, e.angleDeg));
        }
      }
      for (const [branch, phases] of Object.entries(g.lineCurrents)) {
        for (const [phase, e] of Object.entries(phases)) {
          const i = result.branches.find((b) => b.name === branch)!.currents.find((c) => c.phase === phase)!;
          maxRel = Math.max(maxRel, Math.abs(i.magA - e.amps) / e.amps);
          maxA = Math.max(maxA, angleDiffDeg(i.angleDeg, e.angleDeg));
        }
      }
      console.log(
        `IEEE 4 grY-grY ${loads}: max rel error ${(maxRel * 100).toFixed(3)} %, max |dθ| ${maxA.toFixed(3)}°`,
      );
      expect(maxRel).toBeLessThan(0.001);
      expect(maxA).toBeLessThan(0.1);
    },
  );

  it.each([
    ['D_grY_trf', -30],
    ['Y_D_trf', -30],
    ['D_D_trf', 0],
  ] as const)('%s converges, balances energy and shifts the low side by %i°', (transformer, shiftDeg) => {
    for (const loads of ['balanced', 'unbalanced'] as const) {
      const result = ieee4(transformer, loads);
      expect(result.converged, result.reason).toBe(true);
      expect(Math.abs(result.substation.pKw - result.shuntKw - result.lossesKw)).toBeLessThan(1e-2);
      expect(result.lossesKw).toBeGreaterThan(0);
      const bus3 = result.buses.find((b) => b.name === '3')!;
      const bus2 = result.buses.find((b) => b.name === '2')!;
      const shift = bus3.lineToLine[0]!.angleDeg - bus2.lineToLine[0]!.angleDeg;
      // The shift plus the drop across the transformer impedance (a few degrees).
      expect(angleDiffDeg(shift, shiftDeg)).toBeLessThan(6);
      for (const v of result.buses.flatMap((b) => b.lineToLine)) expect(v.vPu).toBeGreaterThan(0.6);
    }
  });
});

describe('Baran & Wu 33-bus', () => {
  type Golden33 = {
    loss: { kW: number; kvar: number };
    buses: Record<string, { vPu: number; angleDeg: number }>;
  };
  it('matches losses and every bus voltage', () => {
    const expected = golden<Golden33>('case33bw.json');
    const result = solvePowerFlow(parseRadialCsv(feederFiles('radial/case33bw')));
    expect(result.converged).toBe(true);
    expect(Math.abs(result.lossesKw - expected.loss.kW)).toBeLessThan(0.05);
    expect(Math.abs(result.lossesKvar - expected.loss.kvar)).toBeLessThan(0.05);
    let maxV = 0;
    let maxA = 0;
    for (const [bus, g] of Object.entries(expected.buses)) {
      const v = voltage(result, bus, 'a');
      maxV = Math.max(maxV, Math.abs(v.vPu - g.vPu));
      maxA = Math.max(maxA, angleDiffDeg(v.angleDeg, g.angleDeg));
    }
    console.log(
      `case33bw: losses ${result.lossesKw.toFixed(4)} kW, max |dV| ${maxV.toExponential(2)} pu, max |dθ| ${maxA.toFixed(5)}°`,
    );
    expect(maxV).toBeLessThan(1e-4);
  });
});

describe.each(['ieee-34', 'ieee-123'])('%s', (feeder) => {
  it('solves and converges; figures reported', () => {
    const result = solvePowerFlow(parseKerstingCsv(feederFiles(feeder)));
    expect(result.converged).toBe(true);
    const v = result.buses.flatMap((b) =>
      b.lineToNeutral.map((x) => ({ bus: b.name, phase: x.phase, vPu: x.vPu })),
    );
    v.sort((a, b) => a.vPu - b.vPu);
    console.log(
      `${feeder}: ${result.iterations} iterations, min ${v[0]!.vPu.toFixed(4)} pu at ${v[0]!.bus}.${v[0]!.phase}, max ${v.at(-1)!.vPu.toFixed(4)} pu at ${v.at(-1)!.bus}.${v.at(-1)!.phase}, losses ${result.lossesKw.toFixed(2)} kW / ${result.lossesKvar.toFixed(2)} kvar, substation ${result.substation.pKw.toFixed(1)} kW / ${result.substation.qKvar.toFixed(1)} kvar`,
    );
    expect(v[0]!.vPu).toBeGreaterThan(0.9);
    expect(v.at(-1)!.vPu).toBeLessThan(1.1);
    expect(Math.abs(result.substation.pKw - result.shuntKw - result.lossesKw)).toBeLessThan(1e-3);
  });
});
