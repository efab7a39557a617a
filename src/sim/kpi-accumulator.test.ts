import { describe, expect, it } from 'vitest';
import { USD } from '../core/money.js';
import type { DerAgent, DerKind, DerObservation } from '../der/types.js';
import type { SlotReport } from '../engine/transactive-cycle.js';
import { KpiAccumulator } from './kpi-accumulator.js';

function device(kind: DerKind, observations: DerObservation[]): DerAgent {
  let call = 0;
  return {
    id: kind,
    kind,
    mode: 'baseline',
    bid: () => [],
    dispatch: () => undefined,
    step: () => 0,
    observe: () => observations[Math.min(call++, observations.length - 1)] ?? { powerKw: 0 },
  };
}

const hour = (s: number) => ({ startMs: s * 3_600_000, endMs: (s + 1) * 3_600_000 });

function report(
  s: number,
  deviceLoadKw: number[],
  premisesLoadKw: number[],
  chargeMinor: number[],
): SlotReport {
  return {
    slot: hour(s),
    market: null,
    intermediaryRevenue: Number.NaN,
    substationLoadKw: premisesLoadKw.reduce((a, b) => a + b, 0),
    premisesLoadKw: Float64Array.from(premisesLoadKw),
    deviceLoadKw: Float64Array.from(deviceLoadKw),
    premisesChargeMicro: Float64Array.from(chargeMinor, (cents) => cents * 10_000),
  };
}

describe('KpiAccumulator', () => {
  it('counts comfort degree-hours, PV self-consumption, EV shortfalls, bills per class and capacity', () => {
    const hvac = device('hvac', [
      { powerKw: 3, indoorTempF: 78, comfortLowF: 66, comfortHighF: 77 },
      { powerKw: 3, indoorTempF: 76, comfortLowF: 66, comfortHighF: 77 },
    ]);
    const pv = device('pv', []);
    const ev = device('ev', [
      { powerKw: 0, unmetEnergyKwh: 0 },
      { powerKw: 0, unmetEnergyKwh: 2.5 },
    ]);
    const premises = [
      { id: 'a', classes: ['hvac-transactive'], devices: [hvac, pv] },
      { id: 'b', classes: ['ev'], devices: [ev] },
    ];
    const kpis = new KpiAccumulator(premises, [hvac, pv, ev], Int32Array.from([0, 0, 1]), 2, 5, USD);
    // slot 0: home a uses 3 kW HVAC with 4 kW PV → exports 1 kW; slot 1: PV 2 kW all used at home
    kpis.record(report(0, [3, -4, 0], [-1, 7], [-10, 70]));
    kpis.record(report(1, [3, -2, 0], [1, 0], [10, 0]));
    const { kpis: k, series } = kpis.finish();
    expect(k.comfortViolationDegreeHours).toBeCloseTo(1, 12); // 1 °F above the band for 1 h
    expect(k.pvSelfConsumption).toBeCloseTo((3 + 2) / (4 + 2), 12);
    expect(k.evUnmetEnergyKwh).toBeCloseTo(2.5, 12);
    expect(k.totalCost).toBeCloseTo(0.7, 12);
    expect(k.costPerClass.all).toEqual({ homes: 2, meanCostPerHome: 0.35 });
    expect(k.costPerClass.ev).toEqual({ homes: 1, meanCostPerHome: 0.7 });
    expect(k.capacityExceededSlots).toBe(1);
    expect(k.peakSubstationDemandKw).toBe(6);
    expect(k.energyImportedKwh).toBeCloseTo(7, 12);
    expect(Number.isNaN(k.averageClearingPricePerKwh)).toBe(true); // no market in this run
    expect(Array.from(series.loadByKindKw.pv ?? [])).toEqual([-4, -2]);
    expect(Array.from(series.indoorTempMaxF)).toEqual([78, 76]);
  });

  it('hands the run each premises bill, the control group and the stakeholder quantities', () => {
    const premises = [
      { id: 'a', classes: ['pv'], devices: [] },
      { id: 'b', classes: ['control'], devices: [] },
    ];
    const context = {
      utcOffsetMinutes: 0,
      wholesalePricePerKwhByHour: Array.from({ length: 24 }, () => 0.05),
      marginalEmissionsKgPerKwhByHour: Array.from({ length: 24 }, () => 0.5),
    };
    const kpis = new KpiAccumulator(premises, [], new Int32Array(0), 2, 100, USD, context);
    kpis.record(report(0, [], [2, 2], [123, 40]));
    kpis.record(report(1, [], [1, -3], [-23, 5]));
    const { runFields } = kpis.finish();
    expect(Array.from(runFields.premisesBill)).toEqual([1, 0.45]);
    expect(Array.from(runFields.controlPremises ?? [])).toEqual([0, 1]);
    expect(runFields.stakeholder.wholesaleEnergyCost).toBeCloseTo(4 * 0.05, 12); // the export hour is free
    expect(runFields.stakeholder.emissionsKg).toBeCloseTo((4 - 2) * 0.5, 12);
    expect(runFields.stakeholder.loadFactor).toBeCloseTo(1 / 4, 12); // mean (4 − 2) / 2 over peak 4
    expect(runFields.stakeholder.sellerHhi).toBeNaN(); // no market
  });

  it('has no control group field when no home is in one', () => {
    const premises = [{ id: 'a', classes: [], devices: [] }];
    const kpis = new KpiAccumulator(premises, [], new Int32Array(0), 1, 100, USD);
    kpis.record(report(0, [], [1], [10]));
    const { runFields } = kpis.finish();
    expect(runFields.controlPremises).toBeUndefined();
    expect(runFields.stakeholder.wholesaleEnergyCost).toBeNaN(); // no prices given
  });
});
