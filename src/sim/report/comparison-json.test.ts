import { describe, expect, it, vi } from 'vitest';
import type { ComparisonResult } from '../results.js';
import { comparisonJson } from './comparison-json.js';
import { kpiJson } from './kpi-json.js';
import { makeTestComparison } from './test-comparison.fixture.js';

// The goldens below check the layout with the core and feeder KPIs only: the other catalogue members
// (stakeholder, M&V, treatment-control, forecast) have their own tests and would shift every count.
vi.mock('../kpi/stakeholder-kpis.js', () => ({ STAKEHOLDER_KPIS: [] }));
vi.mock('../evaluation/measurement-kpis.js', () => ({ MEASUREMENT_KPIS: [] }));
vi.mock('../evaluation/treatment-control-kpis.js', () => ({ TREATMENT_CONTROL_KPIS: [] }));
vi.mock('../forecast/forecast-kpis.js', () => ({ FORECAST_KPIS: [] }));

describe('comparisonJson', () => {
  const comparison = makeTestComparison();
  const document = comparisonJson(comparison);

  it('holds every design with its KPI set, the baseline and the community', () => {
    expect(Object.keys(document)).toEqual(['designs', 'baseline', 'community', 'keyMetrics', 'roles']);
    expect(Object.keys(document.designs[0] ?? {})).toEqual(['label', 'mechanism', 'kpis', 'sections']);
    expect(document.designs.map((design) => [design.label, design.mechanism])).toEqual([
      ['Uniform-price auction', 'double-auction'],
      ['Pay-as-bid', 'pay-as-bid'],
      ['P2P (bilateral)', 'p2p'],
    ]);
    const second = comparison.designs[1]?.result;
    if (second === undefined) throw new Error('fixture has three designs');
    // The same builder as the single-run document, so the same keys in the same order.
    expect(document.designs[1]?.kpis).toEqual(kpiJson(second).te);
    expect(Object.keys(document.designs[1]?.kpis ?? {})).toEqual(Object.keys(kpiJson(second).te));
    expect(document.designs[1]?.kpis.costPerClass.pv).toEqual({ homes: 20, meanCostPerHome: -0.85 });
    expect(document.baseline).toEqual(kpiJson(second).baseline);
    expect(document.community?.homes).toBe(40);
    expect(document.community?.substationCapacityKw).toBe(160);
    // The mechanism belongs to each design, not to the community.
    expect(document.community).not.toHaveProperty('mechanism');
  });

  it('is plain JSON: no NaN or Infinity, null where a KPI is not defined', () => {
    expect(document.baseline?.billChangeGini).toBeNull();
    const text = JSON.stringify(document);
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(JSON.parse(text)).toEqual(document);
  });

  it('is byte-identical whatever order the producer built its records in', () => {
    const shuffled: ComparisonResult = {
      ...comparison,
      designs: comparison.designs.map((design) => {
        const { costPerClass } = design.result.te.kpis;
        const reversed = Object.fromEntries(Object.entries(costPerClass).reverse());
        const te = { ...design.result.te, kpis: { ...design.result.te.kpis, costPerClass: reversed } };
        const deviceCounts = Object.fromEntries(Object.entries(design.result.meta.deviceCounts).reverse());
        return { ...design, result: { ...design.result, te, meta: { ...design.result.meta, deviceCounts } } };
      }),
    };
    expect(JSON.stringify(comparisonJson(shuffled))).toBe(JSON.stringify(document));
    expect(JSON.stringify(comparisonJson(makeTestComparison()))).toBe(JSON.stringify(document));
  });

  it('writes feeder KPIs exactly for the runs that have them', () => {
    expect(document.designs.some((design) => 'grid' in design.kpis)).toBe(false);
    const withFeeder = comparisonJson(makeTestComparison({ grid: true }));
    expect(withFeeder.designs.map((design) => design.kpis.grid?.voltageViolations)).toEqual([4, 9, 1]);
    expect(withFeeder.baseline?.grid?.voltageViolations).toBe(57);
  });

  it('handles a comparison without designs', () => {
    const empty = comparisonJson({ designs: [], baseline: comparison.baseline });
    expect(empty).toMatchObject({ designs: [], baseline: null, community: null, keyMetrics: [] });
    expect(empty.roles.utility).toEqual({});
  });

  it('files each KPI under its first role, designs side by side with the shared baseline', () => {
    expect(document.roles.utility['peak-substation-demand']).toEqual({
      label: 'Peak substation demand',
      unit: 'kW',
      decimals: 1,
      direction: 'lower-is-better',
      alsoFor: ['dso'],
      scope: 'run',
      values: [148.2, 152.4, 139.7],
      baseline: 171.6,
    });
    const bills = document.roles.customer['mean-cost-per-home'];
    expect(bills?.scope === 'run' ? bills.classes?.pv : undefined).toEqual({
      homes: 20,
      values: [2.1, -0.85, 2.1],
      baseline: 2.64,
    });
    expect(document.roles.dso['voltage-violations']).toBeUndefined();
    const withFeeder = comparisonJson(makeTestComparison({ grid: true }));
    expect(withFeeder.roles.dso['voltage-violations']).toMatchObject({ values: [4, 9, 1], baseline: 57 });
  });

  it('names the key metrics any design names, first-named first', () => {
    const keyed: ComparisonResult = {
      ...comparison,
      designs: comparison.designs.map((design, index) => ({
        ...design,
        result: {
          ...design.result,
          meta: {
            ...design.result.meta,
            keyMetrics: index === 0 ? ['total-cost'] : ['social-welfare', 'total-cost'],
          },
        },
      })),
    };
    expect(comparisonJson(keyed).keyMetrics).toEqual(['total-cost', 'social-welfare']);
  });
});
