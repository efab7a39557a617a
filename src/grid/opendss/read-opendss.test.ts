import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { TeError } from '../../core/errors.js';
import type { Network } from '../network.js';
import { validateNetwork } from '../network-validation.js';
import { solvePowerFlow } from '../power-flow.js';
import { readOpenDss, readOpenDssText, type OpenDssNetwork } from './read-opendss.js';

const fixtures = new URL('../../../test/fixtures/opendss/', import.meta.url);
const resolveFixture = (path: string): string | undefined => {
  try {
    return readFileSync(new URL(path, fixtures), 'utf8');
  } catch {
    return undefined;
  }
};

function load(entry: string): OpenDssNetwork {
  const result = readOpenDss(entry, resolveFixture);
  if (!result.ok) throw new Error(result.error.toLine());
  return result.value;
}

function failure(text: string, resolve?: (path: string) => string | undefined): TeError {
  const result = readOpenDssText(text, 'bad.dss', resolve);
  if (result.ok) throw new Error('expected the script to be refused');
  return result.error;
}

function counts(network: Network) {
  return {
    buses: network.buses.length,
    lines: network.lines.length,
    switches: network.switches.length,
    loads: network.loads.length,
    transformers: network.transformers.length,
    regulators: network.regulators.length,
    capacitors: network.capacitors.length,
  };
}

const MINIMAL = 'Clear\nNew Circuit.t basekV=4.16 R1=0 X1=0 R0=0 X0=0 bus1=s\n';

describe('OpenDSS samples', () => {
  // Buses include the source's internal bus `<bus1>-vsource` and lines the Thevenin line `vsource.source`.
  it('4Bus-YY-Bal: geometry lines, a grounded-wye step-down transformer, one load', () => {
    const { network, warnings } = load('4Bus-YY-Bal/4Bus-YY-Bal.DSS');
    expect(validateNetwork(network)).toEqual([]);
    expect(counts(network)).toEqual({
      buses: 5,
      lines: 3,
      switches: 0,
      loads: 1,
      transformers: 1,
      regulators: 0,
      capacitors: 0,
    });
    expect(network.transformers[0]).toMatchObject({
      from: 'n2',
      to: 'n3',
      connectionHigh: 'wye-grounded',
      connectionLow: 'wye-grounded',
      kvHigh: 12.47,
      kvLow: 4.16,
      kva: 6000,
      resistancePu: 0.01,
      reactancePu: 0.06,
    });
    const load4 = network.loads[0];
    expect(load4?.phasePowers.map((p) => p.pKw)).toEqual([1800, 1800, 1800]);
    expect(load4?.phasePowers[0]?.qKvar).toBeCloseTo(871.78, 2);
    expect(network.buses.find((b) => b.name === 'n4')?.nominalKvLL).toBe(4.16);
    expect(warnings.some((w) => w.includes('vminpu'))).toBe(true);
  });

  it('4Bus-YY-Bal: the geometry gives Kersting configuration 101 within 0.5 %', () => {
    const csv = readFileSync(new URL('kersting-ieee4-line-configurations.csv', fixtures), 'utf8')
      .trim()
      .split('\n');
    const header = (csv[0] ?? '').split(',');
    const row = (csv[1] ?? '').split(',');
    const published = (key: string): number => Number(row[header.indexOf(key)]);
    const { network } = load('4Bus-YY-Bal/4Bus-YY-Bal.DSS');
    const line = network.lines.find((l) => l.name === 'line1');
    const miles = 2000 / 5280;
    const pairs = { aa: 0, ab: 1, ac: 2, bb: 4, bc: 5, cc: 8 };
    for (const [pair, index] of Object.entries(pairs)) {
      const r = (line?.seriesImpedanceOhm.re[index] ?? 0) / miles;
      const x = (line?.seriesImpedanceOhm.im[index] ?? 0) / miles;
      expect(Math.abs(r / published(`r${pair}`) - 1), `r${pair} ${r}`).toBeLessThan(0.005);
      expect(Math.abs(x / published(`x${pair}`) - 1), `x${pair} ${x}`).toBeLessThan(0.005);
    }
  });

  it('13Bus: line codes by Redirect, an RPN-scaled substation transformer, a ganged regulator bank', () => {
    const { network } = load('13Bus/IEEE13Nodeckt.dss');
    expect(validateNetwork(network)).toEqual([]);
    expect(counts(network)).toEqual({
      buses: 17,
      lines: 12,
      switches: 1,
      loads: 15,
      transformers: 2,
      regulators: 1,
      capacitors: 2,
    });
    const sub = network.transformers.find((t) => t.name === 'Sub');
    expect(sub?.connectionHigh).toBe('delta');
    expect(sub?.reactancePu).toBeCloseTo(0.00008, 12);
    expect(network.regulators[0]).toMatchObject({
      name: 'reg1',
      from: '650',
      to: 'rg60',
      phases: ['a', 'b', 'c'],
      control: {
        bandCenterV: 122,
        bandwidthV: 2,
        ptRatio: 20,
        ctRatingA: 700,
        ldcResistanceV: 3,
        ldcReactanceV: 9,
      },
    });
    const load646 = network.loads.find((l) => l.name === '646');
    expect(load646).toMatchObject({ connection: 'delta', model: 'constant-impedance', nominalKvLL: 4.16 });
    expect(load646?.phasePowers).toEqual([{ phase: 'b', pKw: 230, qKvar: 132 }]);
    expect(network.buses.find((b) => b.name === '634')?.nominalKvLL).toBe(0.48);
    expect(network.buses.find((b) => b.name === '675')).toMatchObject({ x: 400, y: 100 });
  });

  it('34Bus: kft line codes, two three-phase regulator banks, exponential loads split into P and Q parts', () => {
    const { network, warnings } = load('34Bus/ieee34Mod1.dss');
    expect(validateNetwork(network)).toEqual([]);
    // 68 Load elements; the two model=4 loads (P linear, Q quadratic) become two network loads each.
    expect(counts(network)).toEqual({
      buses: 38,
      lines: 33,
      switches: 0,
      loads: 70,
      transformers: 2,
      regulators: 2,
      capacitors: 2,
    });
    expect(network.regulators.map((r) => [r.name, r.phases.join('')])).toEqual([
      ['reg1', 'abc'],
      ['reg2', 'abc'],
    ]);
    const model4 = network.loads.filter((l) => l.name.startsWith('D808_810sb'));
    expect(model4.map((l) => [l.name, l.model])).toEqual([
      ['D808_810sb', 'constant-current'],
      ['D808_810sb:q', 'constant-impedance'],
    ]);
    expect(warnings.some((w) => w.includes('D832_858sa') && w.includes('grounds'))).toBe(true);
  });

  it('123Bus: like=, per-phase regulator settings, switches and line codes in kft', () => {
    const { network } = load('123Bus/IEEE123Master.dss');
    expect(validateNetwork(network)).toEqual([]);
    expect(counts(network)).toEqual({
      buses: 133,
      lines: 119,
      switches: 8,
      loads: 91,
      transformers: 1,
      regulators: 6,
      capacitors: 4,
    });
    expect(network.regulators.map((r) => [r.name, r.phases.join('')])).toEqual([
      ['reg1a', 'abc'],
      ['reg2a', 'a'],
      ['reg3', 'ac'],
      ['reg4a', 'a'],
      ['reg4b', 'b'],
      ['reg4c', 'c'],
    ]);
    expect(network.regulators.find((r) => r.name === 'reg4b')?.control?.ldcResistanceV).toBe(1.4);
  });

  it('123Bus switches variant: Open commands leave the tie switches open', () => {
    const { network } = load('123Bus/IEEE123Switches.dss');
    expect(validateNetwork(network)).toEqual([]);
    expect(network.switches.filter((s) => !s.closed).map((s) => s.name)).toEqual(['Sw7', 'Sw8']);
  });
});

describe('power flow of the read networks', () => {
  it('4Bus-YY-Bal reproduces the published balanced grY-grY step-down voltages within 0.5 %', () => {
    const golden = JSON.parse(
      readFileSync(
        new URL('../../../test/fixtures/powerflow/ieee4-gry-gry-stepdown.json', import.meta.url),
        'utf8',
      ),
    ) as {
      cases: { balanced: { voltagesLN: Record<string, Record<string, { vLN: number; angleDeg: number }>> } };
    };
    const result = solvePowerFlow(load('4Bus-YY-Bal/4Bus-YY-Bal.DSS').network);
    expect(result.converged).toBe(true);
    const busOf: Record<string, string> = { '2': 'n2', '3': 'n3', '4': 'n4' };
    for (const [kerstingBus, phases] of Object.entries(golden.cases.balanced.voltagesLN)) {
      const bus = result.buses.find((b) => b.name === busOf[kerstingBus]);
      for (const [phase, expected] of Object.entries(phases)) {
        const actual = bus?.lineToNeutral.find((v) => v.phase === phase);
        expect(Math.abs((actual?.vMagV ?? 0) / expected.vLN - 1), `${kerstingBus}${phase}`).toBeLessThan(
          0.005,
        );
        expect(Math.abs((actual?.angleDeg ?? 0) - expected.angleDeg), `${kerstingBus}${phase}`).toBeLessThan(
          0.2,
        );
      }
    }
  });

  it.each(['13Bus/IEEE13Nodeckt.dss', '34Bus/ieee34Mod1.dss', '123Bus/IEEE123Master.dss'])(
    '%s solves and converges with its regulators in band',
    (entry) => {
      const result = solvePowerFlow(load(entry).network);
      expect(result.converged, result.reason).toBe(true);
      const magnitudes = result.buses.flatMap((b) => b.lineToNeutral.map((v) => v.vPu));
      expect(Math.min(...magnitudes)).toBeGreaterThan(0.9);
      expect(Math.max(...magnitudes)).toBeLessThan(1.1);
    },
  );
});

describe('malformed and unsupported scripts', () => {
  it('refuses element classes it does not model, with file and line', () => {
    const error = failure(`${MINIMAL}New PVSystem.pv1 bus1=s kVA=10`);
    expect(error.code).toBe('TE_ERR_DSS_UNSUPPORTED');
    expect(error.path).toBe('bad.dss:3');
    expect(error.message).toContain('pvsystem');
    expect(failure(`${MINIMAL}New Fault.f1 bus1=s`).code).toBe('TE_ERR_DSS_UNSUPPORTED');
    expect(failure(`${MINIMAL}Set loadmult=0.5`).code).toBe('TE_ERR_DSS_UNSUPPORTED');
    expect(failure(`${MINIMAL}Frobnicate now`).code).toBe('TE_ERR_DSS_UNSUPPORTED');
  });

  it('skips reporting commands and meters with a warning', () => {
    const text = `${MINIMAL}New Monitor.m1 element=Line.x\nNew Energymeter.e1 element=Line.x\nShow voltages\nExport powers\nPlot profile\nSolve`;
    const result = readOpenDssText(text, 'ok.dss');
    expect(result.ok).toBe(true);
    if (result.ok) expect(result.value.warnings.filter((w) => w.includes('skipped'))).toHaveLength(5);
  });

  it('reports malformed syntax with the token', () => {
    const error = failure(`${MINIMAL}New Line.l1 bus1=s bus2=t rmatrix=(1 | 2 3`);
    expect(error.code).toBe('TE_ERR_DSS_SYNTAX');
    expect(error.path).toBe('bad.dss:3');
    expect(failure(`${MINIMAL}New Line.l1 bus1=s bus2=t length=long`).message).toContain('long');
    expect(failure(`~ kV=4.16`).code).toBe('TE_ERR_DSS_SYNTAX');
  });

  it('reports undefined references and missing redirected files', () => {
    expect(failure(`${MINIMAL}New Line.l1 bus1=s bus2=t linecode=nope`).code).toBe('TE_ERR_DSS_REFERENCE');
    expect(failure(`${MINIMAL}Edit Load.ghost kW=1`).code).toBe('TE_ERR_DSS_REFERENCE');
    const missing = failure(`${MINIMAL}Redirect lines/missing.dss`);
    expect(missing.code).toBe('TE_ERR_FILE_NOT_FOUND');
    expect(missing.message).toContain('lines/missing.dss');
  });

  it('refuses single-phase transformers that are not regulators', () => {
    const text = `${MINIMAL}New Transformer.t1 phases=1 buses=[s.1 t.1] kVs=[2.4 0.24] kVAs=[25 25] XHL=2`;
    expect(failure(text).code).toBe('TE_ERR_DSS_UNSUPPORTED');
  });

  it('follows Redirect relative to the redirecting file, positional values and case-insensitive names', () => {
    const files: Record<string, string> = {
      'feeder/master.dss': `clear\nNEW CIRCUIT.demo basekv=12.47 mvasc3=200000 200000\nredirect sub/codes.dss\nnew line.L1 bus1=SourceBus bus2=b2 LINECODE=C1 length=1 units=km\nnew load.ld bus1=b2 kw=300 pf=-0.95 kv=12.47`,
      'feeder/sub/codes.dss': 'new linecode.c1 nphases=3 r1=0.1 x1=0.3 r0=0.3 x0=0.9 c1=0 c0=0 units=km',
    };
    const result = readOpenDss('feeder/master.dss', (path) => files[path]);
    if (!result.ok) throw new Error(result.error.toLine());
    const { network } = result.value;
    const thevenin = network.lines.find((l) => l.name === 'vsource.source');
    // MVAsc3 = MVAsc1 = 200000 (the second one positional): |Z1| = 12.47² / 200000 ohm.
    expect(
      Math.hypot(thevenin?.seriesImpedanceOhm.re[0] ?? 0, thevenin?.seriesImpedanceOhm.im[0] ?? 0),
    ).toBeCloseTo(12.47 ** 2 / 200000, 9);
    const line = network.lines.find((l) => l.name === 'L1');
    expect(line?.seriesImpedanceOhm.re[0]).toBeCloseTo((2 * 0.1 + 0.3) / 3, 12);
    expect(line?.seriesImpedanceOhm.im[1]).toBeCloseTo((0.9 - 0.3) / 3, 12);
    expect(network.loads[0]?.phasePowers[0]?.qKvar).toBeCloseTo(-(100 * Math.sqrt(1 / 0.95 ** 2 - 1)), 9);
  });
});
