import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  inverterRatingFor,
  type InverterSettings,
} from '../../der/inverter/index.js';
import type { DERCurve } from '../der-curve.js';
import { directedActivePowerKw, inverterDirective, RESPONSE_STATUS } from './inverter-mapping.js';

const settingsFor = (pRatedKw: number, pMaxAbsorbKw: number): InverterSettings => ({
  ...DEFAULT_INVERTER_FUNCTIONS,
  rating: inverterRatingFor(DEFAULT_INVERTER_FUNCTIONS, pRatedKw, pRatedKw, pMaxAbsorbKw),
});
const PV = settingsFor(5, 0);
const BATTERY = settingsFor(5, 5);
const NO_CURVES = new Map<string, DERCurve>();
const sunny = { desiredKw: -4.5, availableGenerationKw: 4.5, siteLoadKw: 1 };

function curve(href: string, curveType: number, yRefType: number, points: [number, number][]): DERCurve {
  return {
    href,
    mRID: 'CC'.repeat(16),
    creationTime: 0,
    CurveData: points.map(([xvalue, yvalue]) => ({ xvalue, yvalue })),
    curveType,
    xMultiplier: 0,
    yMultiplier: 0,
    yRefType,
  };
}

describe('inverterDirective and directedActivePowerKw', () => {
  it('runs the device as it wishes without a control', () => {
    const d = inverterDirective({}, NO_CURVES, PV);
    expect(d.settings).toBe(PV);
    expect(d.refused).toEqual([]);
    expect(directedActivePowerKw(d, PV, sunny)).toBe(-4.5);
  });

  it('disconnects on opModConnect or opModEnergize false', () => {
    expect(directedActivePowerKw(inverterDirective({ opModConnect: false }, NO_CURVES, PV), PV, sunny)).toBe(
      0,
    );
    const d = inverterDirective({ opModConnect: true, opModEnergize: false }, NO_CURVES, PV);
    expect(d.connected).toBe(false);
    expect(directedActivePowerKw(d, PV, sunny)).toBe(0);
  });

  it('caps generation at opModMaxLimW percent of the rating', () => {
    const d = inverterDirective({ opModMaxLimW: 5000 }, NO_CURVES, PV);
    expect(d.maxGenerationKw).toBe(2.5);
    expect(directedActivePowerKw(d, PV, sunny)).toBe(-2.5);
  });

  it('holds the site export to opModMaxLimWInject, counting the site load', () => {
    const d = inverterDirective({ opModMaxLimWInject: { value: 15, multiplier: 2 } }, NO_CURVES, PV);
    expect(d.maxExportKw).toBe(1.5);
    // 1 kW of load + 1.5 kW export = 2.5 kW of generation at most.
    expect(directedActivePowerKw(d, PV, sunny)).toBe(-2.5);
    // A zero export limit: generation only covers the site's own load.
    const zero = inverterDirective({ opModMaxLimWInject: { value: 0, multiplier: 0 } }, NO_CURVES, PV);
    expect(directedActivePowerKw(zero, PV, sunny)).toBe(-1);
  });

  it('holds the site import to opModMaxLimWAbsorb by cutting a battery charge', () => {
    const d = inverterDirective({ opModMaxLimWAbsorb: { value: 3000, multiplier: 0 } }, NO_CURVES, BATTERY);
    const charging = { desiredKw: 4, availableGenerationKw: 5, siteLoadKw: 1.5 };
    expect(directedActivePowerKw(d, BATTERY, charging)).toBe(1.5);
    // An import cap below the site load makes the battery discharge, within what it can give.
    const tight = inverterDirective({ opModMaxLimWAbsorb: { value: 0, multiplier: 0 } }, NO_CURVES, BATTERY);
    expect(directedActivePowerKw(tight, BATTERY, { ...charging, availableGenerationKw: 1 })).toBe(-1);
  });

  it('follows opModTargetW in watts and opModFixedW in percent, target first', () => {
    const target = inverterDirective({ opModTargetW: { value: -2, multiplier: 3 } }, NO_CURVES, BATTERY);
    expect(target.setpointKw).toBe(2); // −2 kW output = charging 2 kW
    expect(directedActivePowerKw(target, BATTERY, sunny)).toBe(2);
    const discharge = inverterDirective({ opModFixedW: 4000 }, NO_CURVES, BATTERY);
    expect(directedActivePowerKw(discharge, BATTERY, { ...sunny, availableGenerationKw: 5 })).toBe(-2);
    const charge = inverterDirective({ opModFixedW: -10_000 }, NO_CURVES, BATTERY);
    expect(directedActivePowerKw(charge, BATTERY, sunny)).toBe(5);
    const both = inverterDirective(
      { opModFixedW: -10_000, opModTargetW: { value: 1000, multiplier: 0 } },
      NO_CURVES,
      BATTERY,
    );
    expect(both.setpointKw).toBe(-1);
    // A setpoint beyond what the sun gives is cut to it.
    expect(directedActivePowerKw(inverterDirective({ opModFixedW: 10_000 }, NO_CURVES, PV), PV, sunny)).toBe(
      -4.5,
    );
  });

  it('runs constant power factor, with sep.xsd excitation (true = absorbing)', () => {
    const d = inverterDirective(
      { opModFixedPFInjectW: { displacement: 95, multiplier: -2, excitation: true } },
      NO_CURVES,
      PV,
    );
    expect(d.settings.reactive).toMatchObject({
      kind: 'constant-power-factor',
      powerFactor: 0.95,
      excitation: 'absorbing',
    });
    expect(d.refused).toEqual([]);
    // 0.5 is below what IEEE 1547 lets a Category B inverter hold: refused as not applicable.
    const low = inverterDirective(
      { opModFixedPFInjectW: { displacement: 5, multiplier: -1, excitation: false } },
      NO_CURVES,
      PV,
    );
    expect(low.settings).toBe(PV);
    expect(low.refused).toMatchObject([
      { mode: 'opModFixedPFInjectW', status: RESPONSE_STATUS.notApplicable },
    ]);
  });

  it('turns a volt-var DERCurve into the 1547 curve, in per unit of S_rated', () => {
    const href = '/sep2/derp/p/dcl/vv';
    const vv = curve(href, 11, 2, [
      [92, 100],
      [98, 0],
      [102, 0],
      [108, -100],
    ]);
    const d = inverterDirective({ opModVoltVar: { href } }, new Map([[href, vv]]), PV);
    expect(d.refused).toEqual([]);
    expect(d.settings.reactive.kind).toBe('volt-var');
    const points = d.settings.reactive.kind === 'volt-var' ? d.settings.reactive.points : [];
    expect(points[0]?.vPu).toBeCloseTo(0.92);
    // 100 % of setMaxVar is the rating's injection capability (Category B: 0.44 of S_rated).
    expect(points[0]?.qInjectionPu).toBeCloseTo(0.44);
    expect(points[3]?.qInjectionPu).toBeCloseTo(-0.44);
  });

  it('refuses curves the inverter cannot follow, with a response status', () => {
    const href = '/c';
    const cases: [DERCurve | undefined, number][] = [
      [undefined, RESPONSE_STATUS.invalid], // the link leads nowhere
      [curve(href, 12, 2, [[90, 0]]), RESPONSE_STATUS.invalid], // a volt-watt curve linked as volt-var
      [curve(href, 11, 4, [[90, 0]]), RESPONSE_STATUS.invalid], // y in % of voltage
      // Three points: tenet's 1547 volt-var needs V1..V4.
      [
        curve(href, 11, 2, [
          [90, 50],
          [100, 0],
          [110, -50],
        ]),
        RESPONSE_STATUS.notApplicable,
      ],
      // Points out of order.
      [
        curve(href, 11, 2, [
          [108, -50],
          [102, 0],
          [98, 0],
          [92, 50],
        ]),
        RESPONSE_STATUS.notApplicable,
      ],
    ];
    for (const [c, status] of cases) {
      const d = inverterDirective(
        { opModVoltVar: { href } },
        new Map(c === undefined ? [] : [[href, c]]),
        PV,
      );
      expect(d.settings).toBe(PV);
      expect(d.refused).toMatchObject([{ mode: 'opModVoltVar', status }]);
    }
  });

  it('turns a volt-watt DERCurve into the 1547 volt-watt limit', () => {
    const href = '/vw';
    const vw = curve(href, 12, 1, [
      [106, 100],
      [110, 0],
    ]);
    const d = inverterDirective({ opModVoltWatt: { href } }, new Map([[href, vw]]), PV);
    expect(d.refused).toEqual([]);
    expect(d.settings.voltWatt?.points).toEqual([
      { vPu: 1.06, pGenerationPu: 1 },
      { vPu: 1.1, pGenerationPu: 0 },
    ]);
    const wrongRef = inverterDirective(
      { opModVoltWatt: { href } },
      new Map([[href, { ...vw, yRefType: 2 }]]),
      PV,
    );
    expect(wrongRef.refused).toMatchObject([{ mode: 'opModVoltWatt', status: RESPONSE_STATUS.invalid }]);
  });
});
