import { describe, expect, it } from 'vitest';
import type { KpiSet } from '../results.js';
import { kpiJson } from './kpi-json.js';
import { makeTestResult } from './test-result.fixture.js';

describe('kpiJson', () => {
  it('holds the scenario, both KPI sets and delta = te - baseline', () => {
    const result = makeTestResult();
    const document = kpiJson(result);
    expect(document.scenario.scenarioName).toBe(result.meta.scenarioName);
    expect(Object.keys(document)).toEqual(['scenario', 'te', 'baseline', 'delta']);
    const te = result.te.kpis;
    const baseline = result.baseline.kpis;
    const scalarKeys = Object.keys(te).filter((key) => key !== 'costPerClass') as Exclude<
      keyof KpiSet,
      'costPerClass'
    >[];
    for (const key of scalarKeys) {
      const difference = te[key] - baseline[key];
      expect(document.te[key]).toBe(Number.isFinite(te[key]) ? te[key] : null);
      if (Number.isFinite(difference)) expect(document.delta[key]).toBeCloseTo(difference, 12);
      else expect(document.delta[key]).toBeNull();
    }
    expect(document.delta.costPerClass.pv?.meanCostPerHome).toBeCloseTo(2.1 - 2.64, 12);
    expect(document.te.costPerClass.battery).toEqual({ homes: 10, meanCostPerHome: 2.85 });
  });

  it('maps NaN and Infinity to null so the document is plain JSON', () => {
    const base = makeTestResult();
    const result = {
      ...base,
      te: {
        ...base.te,
        kpis: {
          ...base.te.kpis,
          averageClearingPricePerKwh: Number.NaN,
          socialWelfare: Number.POSITIVE_INFINITY,
          costPerClass: {
            all: { homes: 40, meanCostPerHome: Number.NaN },
            solo: { homes: 1, meanCostPerHome: 5 },
          },
        },
      },
    };
    const document = kpiJson(result);
    const text = JSON.stringify(document);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(document);
    expect(document.te.averageClearingPricePerKwh).toBeNull();
    expect(document.te.socialWelfare).toBeNull();
    expect(document.delta.averageClearingPricePerKwh).toBeNull();
    expect(document.delta.costPerClass.all?.meanCostPerHome).toBeNull();
    // A class present in one run only has no difference.
    expect(document.delta.costPerClass.solo?.meanCostPerHome).toBeNull();
    expect(document.delta.costPerClass.pv?.meanCostPerHome).toBeNull();
  });

  it('writes keys in the same order whatever order the producer used', () => {
    const base = makeTestResult();
    const shuffled = {
      ...base,
      meta: { ...base.meta, deviceCounts: { pv: 20, battery: 10, hvac: 40, ev: 8, 'water-heater': 30 } },
      te: {
        ...base.te,
        kpis: Object.fromEntries(Object.entries(base.te.kpis).reverse()) as unknown as KpiSet,
      },
    };
    expect(JSON.stringify(kpiJson(shuffled))).toBe(JSON.stringify(kpiJson(base)));
    expect(Object.keys(kpiJson(base).te)).toEqual([
      'peakSubstationDemandKw',
      'energyImportedKwh',
      'energyExportedKwh',
      'averageClearingPricePerKwh',
      'peakClearingPricePerKwh',
      'totalCost',
      'costPerClass',
      'comfortViolationDegreeHours',
      'pvSelfConsumption',
      'socialWelfare',
      'clearingFailures',
      'evUnmetEnergyKwh',
      'capacityExceededSlots',
      'localTradedKwh',
      'gridTradedKwh',
      'selfSufficiency',
      'billChangeGini',
      'intermediaryRevenue',
    ]);
  });
});
