/**
 * Stakeholder KPIs of the market's effect: the market run against its simulated counterfactual (the
 * baseline run: the same homes, weather and seed without the market). Deterministic, so no interval;
 * the treatment-control KPIs give intervals from a control group.
 */
import type { SimulationResult } from '../results.js';
import type { EvaluationKpi, KpiEstimate } from './kpi-definition.js';
import { savingsDistribution, type SavingsDistribution } from './savings-distribution.js';

type Spec = Omit<EvaluationKpi, 'scope'>;
const effect = (spec: Spec): EvaluationKpi => ({ ...spec, scope: 'evaluation' });

const estimate = (value: number): KpiEstimate | null => (Number.isFinite(value) ? { value } : null);

/** Baseline peak − market peak, kW (negative when the market raised the peak). */
function peakReductionKw(result: SimulationResult): number {
  return result.baseline.kpis.peakSubstationDemandKw - result.te.kpis.peakSubstationDemandKw;
}

/**
 * Per-home bills of the homes in the market (control-group homes left out: they stay on the fixed
 * tariff, so their zero savings would dilute the distribution). Null without per-home bills.
 */
export function customerSavings(result: SimulationResult): SavingsDistribution | null {
  const market = result.te.premisesBill;
  const baseline = result.baseline.premisesBill;
  if (market === undefined || baseline === undefined) return null;
  const control = result.te.controlPremises;
  if (control === undefined) return savingsDistribution(baseline, market);
  const inMarket = (_: number, p: number) => control[p] !== 1;
  return savingsDistribution(baseline.filter(inMarket), market.filter(inMarket));
}

/**
 * Years until a peak growing at `growth` per year reaches the substation rating: 0 when it already has.
 */
function yearsToRating(peakKw: number, ratingKw: number, growth: number): number {
  return peakKw >= ratingKw ? 0 : Math.log(ratingKw / peakKw) / Math.log(1 + growth);
}

/** Years the market defers the substation upgrade; null without a growth rate, a rating or peaks. */
export function deferralYears(result: SimulationResult): number | null {
  const growthPercent = result.meta.loadGrowthPercentPerYear;
  const ratingKw = result.meta.substationCapacityKw;
  const marketPeakKw = result.te.kpis.peakSubstationDemandKw;
  const baselinePeakKw = result.baseline.kpis.peakSubstationDemandKw;
  if (growthPercent === undefined || !(growthPercent > 0) || !(ratingKw > 0)) return null;
  if (!(marketPeakKw > 0) || !(baselinePeakKw > 0)) return null;
  const growth = growthPercent / 100;
  return yearsToRating(marketPeakKw, ratingKw, growth) - yearsToRating(baselinePeakKw, ratingKw, growth);
}

const NO_BILLS = 'the result has no per-home bills of both runs';
const SAVINGS_DEFINITION =
  "Per-home saving = the home's bill without the market (baseline run, fixed tariff) − its bill with it, over the horizon; homes in a control group are left out.";
const PERCENTILE_NOTE = 'Percentiles interpolate linearly between order statistics at rank (n − 1)·p.';

function savingsPercentile(id: string, label: string, p: number, pick: (s: SavingsDistribution) => number) {
  return effect({
    id,
    label,
    unit: '{currency}',
    roles: ['customer', 'regulator'],
    definition: `${SAVINGS_DEFINITION} ${PERCENTILE_NOTE}`,
    formula: `Q_${p}(bill_baseline(h) − bill_TE(h)) over homes h`,
    direction: 'higher-is-better',
    decimals: 2,
    of: (result) => {
      const savings = customerSavings(result);
      return savings === null ? null : estimate(pick(savings));
    },
    unavailable: NO_BILLS,
  });
}

export const STAKEHOLDER_EFFECT_KPIS: readonly EvaluationKpi[] = [
  effect({
    id: 'peak-reduction',
    label: 'Peak reduction',
    unit: 'kW',
    roles: ['utility', 'dso'],
    definition:
      'How much lower the peak substation load is with the market than without it (negative: the market raised the peak). With a control group in the market run, its homes are in both peaks.',
    formula: 'max_t P_sub,baseline(t) − max_t P_sub,TE(t)',
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) => estimate(peakReductionKw(result)),
    unavailable: 'a run has no substation load',
  }),
  effect({
    id: 'peak-reduction-percent',
    label: 'Peak reduction (% of baseline peak)',
    unit: '%',
    roles: ['utility', 'dso'],
    definition: 'The peak reduction as a share of the peak without the market.',
    formula: '100 · (max P_sub,baseline − max P_sub,TE) / max P_sub,baseline',
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) => {
      const baselinePeakKw = result.baseline.kpis.peakSubstationDemandKw;
      return baselinePeakKw > 0 ? estimate((100 * peakReductionKw(result)) / baselinePeakKw) : null;
    },
    unavailable: 'the baseline peak is not positive',
  }),
  effect({
    id: 'deferred-capacity',
    label: 'Deferred substation capacity',
    unit: 'kW',
    roles: ['dso', 'utility'],
    definition:
      "Substation capacity the market frees at peak: the peak reduction when positive, else 0. In years: deferral-years, with the scenario's load growth.",
    formula: 'max(0, max P_sub,baseline − max P_sub,TE)',
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) => estimate(Math.max(0, peakReductionKw(result))),
    unavailable: 'a run has no substation load',
  }),
  effect({
    id: 'deferred-capacity-percent',
    label: 'Deferred capacity (% of substation rating)',
    unit: '%',
    roles: ['dso'],
    definition:
      'The deferred substation capacity as a share of the substation rating (wholesale.substationCapacityKw).',
    formula: '100 · max(0, max P_sub,baseline − max P_sub,TE) / rating',
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) =>
      result.meta.substationCapacityKw > 0
        ? estimate((100 * Math.max(0, peakReductionKw(result))) / result.meta.substationCapacityKw)
        : null,
    unavailable: 'the substation has no rating',
  }),
  effect({
    id: 'deferral-years',
    label: 'Substation upgrade deferred',
    unit: 'years',
    roles: ['dso', 'utility'],
    definition:
      'How many years later the peak reaches the substation rating with the market than without it, the peak growing by evaluation.loadGrowthPercentPerYear a year. 0 when both peaks already exceed the rating (the upgrade is due now either way); negative when the market raised the peak.',
    formula: 'n(P_TE) − n(P_baseline), n(P) = ln(rating / P) / ln(1 + g) for P < rating, else 0',
    direction: 'higher-is-better',
    decimals: 2,
    of: (result) => {
      const years = deferralYears(result);
      return years === null ? null : estimate(years);
    },
    unavailable: 'needs evaluation.loadGrowthPercentPerYear (the yearly growth of the peak)',
  }),
  effect({
    id: 'mean-bill-change',
    label: 'Mean bill change per home',
    unit: '%',
    roles: ['customer', 'regulator'],
    definition:
      "The mean over homes of each home's relative bill change with the market against without it; homes with a baseline bill ≤ 0 (net exporters) have no relative change and are left out, as are control-group homes.",
    formula: 'mean_h 100 · (bill_TE(h) − bill_baseline(h)) / bill_baseline(h), bill_baseline(h) > 0',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => {
      const savings = customerSavings(result);
      return savings === null ? null : estimate(savings.meanBillChangePercent);
    },
    unavailable: `${NO_BILLS}, or no home had a positive baseline bill`,
  }),
  effect({
    id: 'homes-worse-off',
    label: 'Homes worse off',
    unit: '%',
    roles: ['customer', 'regulator'],
    definition:
      'Share of homes whose bill with the market is higher than without it (control-group homes left out).',
    formula: '100 · |{h : bill_TE(h) > bill_baseline(h)}| / homes',
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) => {
      const savings = customerSavings(result);
      return savings === null ? null : estimate(savings.worseOffShare * 100);
    },
    unavailable: NO_BILLS,
  }),
  savingsPercentile('savings-p10', 'Saving per home, 10th percentile', 0.1, (s) => s.p10),
  savingsPercentile('savings-median', 'Saving per home, median', 0.5, (s) => s.median),
  savingsPercentile('savings-p90', 'Saving per home, 90th percentile', 0.9, (s) => s.p90),
];
