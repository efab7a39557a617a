import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ENTER_SERVICE,
  DEFAULT_FREQUENCY_DROOP,
  DEFAULT_FREQUENCY_TRIP,
  DEFAULT_VOLT_VAR,
  DEFAULT_VOLT_WATT,
  DEFAULT_VOLTAGE_TRIP,
  DEFAULT_WATT_VAR,
  MAX_OPEN_LOOP_RESPONSE_TIME_S,
  MIN_POWER_FACTOR,
  MIN_REACTIVE_CAPABILITY_PU,
  NOMINAL_FREQUENCY_HZ,
  REACTIVE_CAPABILITY_DERATE_POINTS,
  VOLT_VAR_RANGES_B,
  VREF_AUTONOMOUS_ADJUSTMENT,
} from './ieee1547-defaults.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the fixture is untyped JSON
const fixture: any = JSON.parse(
  readFileSync(new URL('../../../test/fixtures/der/ieee1547-defaults.json', import.meta.url), 'utf8'),
);

describe('IEEE 1547 defaults match test/fixtures/der/ieee1547-defaults.json', () => {
  it('reactive capability, power factor limits and response times', () => {
    expect(fixture.conventions.nominalFrequencyHz).toBe(NOMINAL_FREQUENCY_HZ);
    for (const cat of ['A', 'B'] as const) {
      const f = fixture.reactiveCapability[`category${cat}`];
      expect(MIN_REACTIVE_CAPABILITY_PU[cat]).toEqual({
        injectionPu: f.minInjectionPuSrated,
        absorptionPu: f.minAbsorptionPuSrated,
      });
      const pf = fixture.constantPowerFactor[`category${cat}`];
      expect(MIN_POWER_FACTOR[cat]).toEqual({ injecting: pf.minPfInjecting, absorbing: pf.minPfAbsorbing });
    }
    expect(fixture.reactiveCapability.belowPoint2Prated).toContain(
      `P = [${REACTIVE_CAPABILITY_DERATE_POINTS.map((p) => p.pPu).join(', ')}]`,
    );
    const olrt = fixture.maxOpenLoopResponseTimeS;
    expect(MAX_OPEN_LOOP_RESPONSE_TIME_S).toEqual({
      constantPowerFactor: olrt.constantPf,
      constantReactivePower: olrt.constantQ,
      wattVar: olrt.wattVar,
      limitActivePower: olrt.limitActivePower,
    });
  });

  it('volt-var curves, ranges and V_ref adjustment', () => {
    for (const cat of ['A', 'B'] as const) {
      const f = fixture.voltVar[`category${cat}`];
      expect(DEFAULT_VOLT_VAR[cat].vrefPu).toBe(f.vref);
      expect(DEFAULT_VOLT_VAR[cat].openLoopResponseTimeS).toBe(f.openLoopResponseTimeS);
      expect(DEFAULT_VOLT_VAR[cat].points.map((p) => [p.vPu, p.qInjectionPu])).toEqual(
        f.points.map((p: { v: number; q: number }) => [p.v, p.q]),
      );
    }
    const r = fixture.voltVar.categoryBRanges;
    expect(VOLT_VAR_RANGES_B.vrefPu).toEqual(r.vref);
    expect(VOLT_VAR_RANGES_B.openLoopResponseTimeS).toEqual(r.openLoopResponseTimeS);
    expect(r.v2).toBe(`VRef-${VOLT_VAR_RANGES_B.v2BelowVrefMaxPu} ... VRef`);
    expect(r.v3).toBe(`VRef ... VRef+${VOLT_VAR_RANGES_B.v3AboveVrefMaxPu}`);
    expect(r.v1).toBe(
      `VRef-${VOLT_VAR_RANGES_B.outerPointFromVrefMaxPu} ... V2-${VOLT_VAR_RANGES_B.outerPointFromInnerMinPu}`,
    );
    expect(r.v4).toBe(
      `V3+${VOLT_VAR_RANGES_B.outerPointFromInnerMinPu} ... VRef+${VOLT_VAR_RANGES_B.outerPointFromVrefMaxPu}`,
    );
    const a = fixture.voltVar.autonomousVrefAdjustment;
    expect(VREF_AUTONOMOUS_ADJUSTMENT).toEqual({
      defaultEnabled: a.defaultEnabled,
      timeConstantS: a.timeConstantS,
      timeConstantRangeS: a.timeConstantRangeS,
    });
  });

  it('watt-var and volt-watt', () => {
    const g = fixture.wattVar.generating.points;
    expect(g[0].p).toBe(`max(${DEFAULT_WATT_VAR.p1MinGenerationPu}, Pmin/Prated)`);
    expect(g[1]).toEqual({ p: DEFAULT_WATT_VAR.p2GenerationPu, q: 0 });
    expect(g[2].p).toBe(DEFAULT_WATT_VAR.p3GenerationPu);
    expect(g[2].q).toEqual({
      categoryA: DEFAULT_WATT_VAR.q3InjectionPu.A,
      categoryB: DEFAULT_WATT_VAR.q3InjectionPu.B,
    });
    const a = fixture.wattVar.absorbing.points;
    expect(a[2]).toEqual({ p: -DEFAULT_WATT_VAR.p3GenerationPu, q: DEFAULT_WATT_VAR.q3AbsorbingInjectionPu });
    expect(fixture.wattVar.generating.ranges.p2).toEqual(DEFAULT_WATT_VAR.p2RangeGenerationPu);
    expect(fixture.wattVar.generating.ranges.p3).toBe(`P2+${DEFAULT_WATT_VAR.p3AboveP2MinPu} ... 1.0`);

    const vw = fixture.voltWatt;
    expect(vw.points[0]).toEqual({ v: DEFAULT_VOLT_WATT.v1Pu, p: DEFAULT_VOLT_WATT.p1GenerationPu });
    expect(vw.points[1].v).toBe(DEFAULT_VOLT_WATT.v2Pu);
    expect(vw.points[1].p).toEqual({
      generationOnly: `min(${DEFAULT_VOLT_WATT.p2GenerationOnlyMaxPu}, Pmin/Prated)`,
      canAbsorb: DEFAULT_VOLT_WATT.p2CanAbsorbPu,
    });
    expect(vw.openLoopResponseTimeS).toBe(DEFAULT_VOLT_WATT.openLoopResponseTimeS);
    expect(vw.ranges.v1).toEqual(DEFAULT_VOLT_WATT.v1RangePu);
    expect(vw.ranges.v2).toBe(`V1 < V2 <= ${DEFAULT_VOLT_WATT.v2MaxPu.toFixed(2)}`);
    expect(vw.ranges.openLoopResponseTimeS).toEqual(DEFAULT_VOLT_WATT.openLoopResponseTimeRangeS);
  });

  it('frequency droop', () => {
    const f = fixture.frequencyDroop;
    const d = DEFAULT_FREQUENCY_DROOP;
    expect(f.defaults).toEqual({
      dbOfHz: d.dbOfHz,
      dbUfHz: d.dbUfHz,
      kOf: d.kOf,
      kUf: d.kUf,
      openLoopResponseTimeS: d.openLoopResponseTimeS,
    });
    expect(f.ranges.dbHz).toEqual(d.deadbandRangeHz);
    for (const cat of ['I', 'II', 'III'] as const) {
      expect(f.ranges.k[`category${cat}`]).toEqual(d.kRange[cat]);
      expect(f.ranges.openLoopResponseTimeS[`category${cat}`]).toEqual(d.openLoopResponseTimeRangeS[cat]);
    }
  });

  it('trip settings and enter service', () => {
    const v = fixture.tripSettings.voltage;
    for (const cat of ['I', 'II', 'III'] as const) {
      for (const name of ['OV2', 'OV1', 'UV1', 'UV2'] as const) {
        const key = name.toLowerCase() as 'ov2' | 'ov1' | 'uv1' | 'uv2';
        expect(DEFAULT_VOLTAGE_TRIP[cat][key]).toEqual({
          thresholdPu: v[name][`category${cat}`].vPu,
          clearingTimeS: v[name][`category${cat}`].clearingTimeS,
        });
      }
    }
    const f = fixture.tripSettings.frequency;
    for (const name of ['OF2', 'OF1', 'UF1', 'UF2'] as const) {
      const key = name.toLowerCase() as 'of2' | 'of1' | 'uf1' | 'uf2';
      expect(DEFAULT_FREQUENCY_TRIP[key]).toEqual({
        thresholdHz: f[name].fHz,
        clearingTimeS: f[name].clearingTimeS,
      });
    }
    const e = fixture.enterService;
    expect(DEFAULT_ENTER_SERVICE).toEqual({
      minVoltagePu: e.voltageWindowPu[0],
      maxVoltagePu: e.voltageWindowPu[1],
      minFrequencyHz: e.frequencyWindowHz[0],
      maxFrequencyHz: e.frequencyWindowHz[1],
      delayS: e.delayS,
      rampPeriodS: e.rampPeriodS,
    });
  });
});
