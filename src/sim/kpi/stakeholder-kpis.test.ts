import { describe, expect, it } from 'vitest';
import type { SimulationResult, SimulationRun, StakeholderRunKpis } from '../results.js';
import type { EvaluationKpi, KpiDefinition, RunKpi } from './kpi-definition.js';
import { STAKEHOLDER_KPIS } from './stakeholder-kpis.js';

const AGREED_IDS = [
  'peak-reduction',
  'load-factor',
  'wholesale-energy-cost',
  'envelope-limited-share',
  'envelope-headroom-used',
  'deferred-capacity',
  'mean-bill-change',
  'homes-worse-off',
  'savings-p10',
  'savings-median',
  'savings-p90',
  'aggregator-revenue',
  'flexibility-delivery-ratio',
  'largest-seller-share',
  'seller-hhi',
  'price-volatility',
  'emissions',
];

const stakeholder = (overrides: Partial<StakeholderRunKpis>): StakeholderRunKpis => ({
  loadFactor: 0.5,
  wholesaleEnergyCost: 100,
  emissionsKg: Number.NaN,
  largestSellerShare: 0.8,
  largestLocalSellerShare: 0.05,
  sellerHhi: 6500,
  priceStdevPerKwh: 0.01,
  priceMeanAbsChangePerKwh: 0.002,
  aggregatorRevenue: Number.NaN,
  flexibilityPromisedKwh: Number.NaN,
  flexibilityDeliveredKwh: Number.NaN,
  envelopeLimitedShare: Number.NaN,
  envelopeHeadroomUsed: Number.NaN,
  ...overrides,
});

/** Only the fields the stakeholder KPIs read. */
function run(peakKw: number, bills: number[], extra: Partial<SimulationRun> = {}): SimulationRun {
  return {
    kpis: { peakSubstationDemandKw: peakKw },
    premisesBill: Float64Array.from(bills),
    stakeholder: stakeholder({}),
    ...extra,
  } as unknown as SimulationRun;
}

function result(te: SimulationRun, baseline: SimulationRun, growthPercent?: number): SimulationResult {
  const meta = { substationCapacityKw: 1500, loadGrowthPercentPerYear: growthPercent };
  return { meta, te, baseline } as unknown as SimulationResult;
}

const byId = (id: string): KpiDefinition => {
  const kpi = STAKEHOLDER_KPIS.find((k) => k.id === id);
  if (kpi === undefined) throw new Error(`no KPI ${id}`);
  return kpi;
};
const evaluation = (id: string, of: SimulationResult) => (byId(id) as EvaluationKpi).of(of)?.value;
const perRun = (id: string, of: SimulationResult) => (byId(id) as RunKpi).of(of.te, of);

describe('STAKEHOLDER_KPIS', () => {
  it('defines every agreed stakeholder id once', () => {
    const ids = STAKEHOLDER_KPIS.map((k) => k.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of AGREED_IDS) expect(ids).toContain(id);
  });

  it('gives peak reduction and deferred capacity against the counterfactual', () => {
    const lower = result(run(1200, []), run(1500, []));
    expect(evaluation('peak-reduction', lower)).toBe(300);
    expect(evaluation('peak-reduction-percent', lower)).toBeCloseTo(20, 12);
    expect(evaluation('deferred-capacity', lower)).toBe(300);
    expect(evaluation('deferred-capacity-percent', lower)).toBeCloseTo(20, 12); // of the 1500 kW rating
    const higher = result(run(1600, []), run(1500, []));
    expect(evaluation('peak-reduction', higher)).toBe(-100);
    expect(evaluation('deferred-capacity', higher)).toBe(0);
  });

  it('turns the peak reduction into years of deferred upgrade with the scenario load growth', () => {
    // Both peaks below the 1500 kW rating: n(P) = ln(1500 / P) / ln(1.02); the difference is ln(1400/1300)/ln(1.02).
    const below = evaluation('deferral-years', result(run(1300, []), run(1400, []), 2));
    expect(below).toBeCloseTo(3.74233, 4);
    // The baseline peak is over the rating (upgrade due now), the market's is not: n(1400) = 3.48403.
    expect(evaluation('deferral-years', result(run(1400, []), run(1600, []), 2))).toBeCloseTo(3.48403, 4);
    // Both over the rating: the upgrade is due now either way, whatever kW the market removes.
    expect(evaluation('deferral-years', result(run(1537, []), run(1588, []), 2))).toBe(0);
    expect(evaluation('deferral-years', result(run(1300, []), run(1400, [])))).toBeUndefined();
  });

  it('takes the customer savings over the homes in the market, leaving the control group out', () => {
    // Homes 0..3 in the market save 1, −2, 6, 0; home 4 is a control home with a large change.
    const te = run(1, [9, 22, 24, 40, 70], { controlPremises: Uint8Array.from([0, 0, 0, 0, 1]) });
    const both = result(te, run(1, [10, 20, 30, 40, 10]));
    expect(evaluation('homes-worse-off', both)).toBeCloseTo(25, 12);
    expect(evaluation('mean-bill-change', both)).toBeCloseTo((-10 + 10 - 20 + 0) / 4, 12);
    // Sorted savings −2, 0, 1, 6: ranks 0.3, 1.5, 2.7.
    expect(evaluation('savings-p10', both)).toBeCloseTo(-2 + 0.3 * 2, 12);
    expect(evaluation('savings-median', both)).toBeCloseTo(0.5, 12);
    expect(evaluation('savings-p90', both)).toBeCloseTo(1 + 0.7 * 5, 12);
  });

  it('is unavailable without per-home bills, with the reason', () => {
    const noBills = result(run(1, [], { premisesBill: undefined }), run(1, []));
    const kpi = byId('savings-median') as EvaluationKpi;
    expect(kpi.of(noBills)).toBeNull();
    expect(kpi.unavailable).toMatch(/bills/);
  });

  it('reads the per-run quantities in report units, and hides those the scenario lacks', () => {
    const withAggregator = run(1, [], {
      stakeholder: stakeholder({
        aggregatorRevenue: 2.5,
        flexibilityPromisedKwh: 40,
        flexibilityDeliveredKwh: 30,
      }),
    });
    const both = result(withAggregator, run(1, []));
    expect(perRun('load-factor', both)).toBe(50);
    expect(perRun('largest-seller-share', both)).toBeCloseTo(80, 12);
    expect(perRun('seller-hhi', both)).toBe(6500);
    expect(perRun('flexibility-delivery-ratio', both)).toBeCloseTo(75, 12);
    expect(perRun('aggregator-revenue', both)).toBe(2.5);
    const applies = (id: string) => (byId(id) as RunKpi).appliesTo?.(both) ?? true;
    expect(applies('aggregator-revenue')).toBe(true);
    expect(applies('emissions')).toBe(false); // no emission factors
    expect(applies('envelope-limited-share')).toBe(false); // no envelopes
    expect(applies('load-factor')).toBe(true);
  });
});
