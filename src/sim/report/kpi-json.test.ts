import { describe, expect, it, vi } from 'vitest';
import type { KpiSet } from '../results.js';
import { kpiJson } from './kpi-json.js';
import { makeTestResult } from './test-result.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

describe('kpiJson', () => {
  it('holds the scenario, both KPI sets and delta = te - baseline', () => {
    const result = makeTestResult();
    const document = kpiJson(result);
    expect(document.scenario.scenarioName).toBe(result.meta.scenarioName);
    // The role-grouped part is added after the keys old readers know.
    expect(Object.keys(document)).toEqual([
      'scenario',
      'te',
      'baseline',
      'delta',
      'keyMetrics',
      'roles',
      'sections',
    ]);
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

  it('files every reported KPI by catalogue id under its first role, with te, baseline and change', () => {
    const document = kpiJson(makeTestResult());
    expect(Object.keys(document.roles)).toEqual([
      'utility',
      'dso',
      'customer',
      'aggregator',
      'regulator',
      'environment',
    ]);
    expect(Object.keys(document.roles.utility)).toEqual([
      'peak-substation-demand',
      'energy-imported',
      'energy-exported',
      'grid-traded-energy',
    ]);
    expect(document.roles.environment).toEqual({});
    expect(document.roles.utility['peak-substation-demand']).toEqual({
      label: 'Peak substation demand',
      unit: 'kW',
      decimals: 1,
      direction: 'lower-is-better',
      alsoFor: ['dso'],
      scope: 'run',
      te: 148.2,
      baseline: 171.6,
      change: 148.2 - 171.6,
      changePercent: ((148.2 - 171.6) / 171.6) * 100,
    });
    const selfConsumption = document.roles.customer['pv-self-consumption'];
    // Shares in percent, changed in points: no relative change.
    expect(selfConsumption).toMatchObject({ unit: '%', te: 91, baseline: 78, changePercent: null });
    expect(selfConsumption?.scope === 'run' ? selfConsumption.change : null).toBeCloseTo(13, 9);
    const bills = document.roles.customer['mean-cost-per-home'];
    expect(bills).toMatchObject({ unit: 'USD', te: 3.53, baseline: 3.91 });
    expect(bills?.scope === 'run' ? bills.classes?.pv : undefined).toEqual({
      homes: 20,
      te: 2.1,
      baseline: 2.64,
      change: 2.1 - 2.64,
    });
    expect(document.roles.customer['bill-change-gini']).toMatchObject({ baseline: null, change: null });
    expect(document.keyMetrics).toEqual([]);
    expect(document.sections).toEqual({});
  });

  it('lists the key metrics, and is byte-identical for the same result', () => {
    const keyed = makeTestResult({ meta: { keyMetrics: ['social-welfare', 'total-cost'] } });
    const document = kpiJson(keyed);
    expect(document.keyMetrics).toEqual(['social-welfare', 'total-cost']);
    // Still filed under their roles: the list says what to show first.
    expect(document.roles.regulator['social-welfare']).toMatchObject({ te: 48.7 });
    expect(
      JSON.stringify(kpiJson(makeTestResult({ meta: { keyMetrics: ['social-welfare', 'total-cost'] } }))),
    ).toBe(JSON.stringify(document));
  });
});
