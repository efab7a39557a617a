import { describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../results.js';
import { comparisonJson } from './comparison-json.js';
import { kpiJson } from './kpi-json.js';
import { makeTestComparison } from './test-comparison.fixture.js';

describe('comparisonJson', () => {
  const comparison = makeTestComparison();
  const document = comparisonJson(comparison);

  it('holds every design with its KPI set, the baseline and the community', () => {
    expect(Object.keys(document)).toEqual(['designs', 'baseline', 'community']);
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
    expect(empty).toEqual({ designs: [], baseline: null, community: null });
  });
});
