import { describe, expect, it } from 'vitest';
import { asComparison, asSimulationKpis, kpiTable, loadKinds, numericColumn } from './run-kpis';

describe('run KPIs', () => {
  it('groups known KPIs with units, shares in %, classes and unknown keys apart', () => {
    const te = {
      totalCost: 10,
      selfSufficiency: 0.25,
      costPerClass: { pv: { homes: 2, meanCostPerHome: 3 } },
      newKpi: 7,
    };
    const baseline = { totalCost: 12, selfSufficiency: null, costPerClass: {} };
    const groups = kpiTable([te, baseline], 'USD');
    expect(groups.map((g) => g.title)).toEqual([
      'Energy and grid',
      'Households',
      'Mean cost per home, by class',
      'Other',
    ]);
    expect(groups[0]?.rows[0]).toEqual({
      label: 'Self-sufficiency',
      unit: '%',
      values: [25, null],
      decimals: 1,
    });
    expect(groups[1]?.rows[0]).toMatchObject({ label: 'Total cost', unit: 'USD', values: [10, 12] });
    expect(groups[2]?.rows[0]).toMatchObject({ label: 'pv', values: [3, null] });
    expect(groups[3]?.rows[0]).toMatchObject({ label: 'newKpi', values: [7, null] });
  });

  it('recognises the two documents', () => {
    expect(asSimulationKpis({ scenario: {}, te: {} })).toBeDefined();
    expect(asSimulationKpis({ designs: [] })).toBeUndefined();
    expect(asComparison({ designs: [] })).toBeDefined();
    expect(asComparison(null)).toBeUndefined();
  });

  it('reads numeric series columns and the device load kinds', () => {
    const series = { timeMs: [1, 2], te_load_ac_kw: [1, null], te_clearing_type: ['crossing', 'crossing'] };
    expect(numericColumn(series, 'te_load_ac_kw')).toEqual([1, null]);
    expect(numericColumn(series, 'te_clearing_type')).toBeUndefined();
    expect(numericColumn(series, 'absent')).toBeUndefined();
    expect(loadKinds(series)).toEqual(['ac']);
  });
});
