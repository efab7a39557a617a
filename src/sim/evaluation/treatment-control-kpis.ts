/**
 * KPIs of the treatment-control comparison, with confidence intervals (catalogue entries). Each reads the
 * headline estimate (treatment-control.ts: the pre-period difference in differences when the scenario has
 * history, otherwise the difference in means) of result.evaluation.treatmentControl.
 */
import type { EvaluationKpi, KpiEstimate } from '../kpi/kpi-definition.js';
import type { SimulationResult } from '../results.js';
import type { EffectEstimate, OutcomeComparison } from './treatment-control.js';

const UNAVAILABLE =
  'needs a control group (evaluation.controlShare > 0) with at least two homes in each group; the peak KPIs also need an hour of the peak window in the horizon';

function headlineOf(result: SimulationResult, outcome: 'peakDemand' | 'bill'): EffectEstimate | null {
  const comparison = result.evaluation?.treatmentControl;
  if (comparison === undefined || comparison.status !== 'compared') return null;
  const value: OutcomeComparison | { unavailable: string } = comparison[outcome];
  return 'unavailable' in value ? null : value.headline;
}

/** The interval of the headline, optionally negated (a reduction) and as a percentage of the reference. */
function interval(
  estimate: EffectEstimate | null,
  confidence: number | undefined,
  options: { readonly negate: boolean; readonly percent: boolean },
): KpiEstimate | null {
  if (estimate === null) return null;
  const scale = (options.negate ? -1 : 1) * (options.percent ? 100 / estimate.referenceMean : 1);
  if (!Number.isFinite(scale)) return null;
  const ends = [estimate.low * scale, estimate.high * scale];
  return {
    value: estimate.effect * scale,
    low: Math.min(...ends),
    high: Math.max(...ends),
    ...(confidence === undefined ? {} : { confidence }),
  };
}

function confidenceOf(result: SimulationResult): number | undefined {
  const comparison = result.evaluation?.treatmentControl;
  return comparison?.status === 'compared' ? comparison.confidence : undefined;
}

const PEAK_FORMULA =
  'ȳ_T − ȳ_C of each home’s mean demand over the peak-window hours (y = TE-run value, or TE − pre-period value with history); reduction = −(ȳ_T − ȳ_C); Welch interval, ν by Welch–Satterthwaite';
const BILL_FORMULA =
  'ȳ_T − ȳ_C of each home’s bill over the horizon (y = TE-run bill, or TE bill − pre-period energy × fixed tariff scaled to the horizon, with history); Welch interval';

export const TREATMENT_CONTROL_KPIS: readonly EvaluationKpi[] = [
  {
    id: 'rct-peak-reduction',
    scope: 'evaluation',
    label: 'Peak-window demand reduction, treatment vs control',
    unit: 'kW per home',
    roles: ['utility', 'dso', 'regulator'],
    definition:
      'How much less a home on the market draws in the daily peak window than a randomly assigned control home on the fixed tariff, with its confidence interval: the estimate a randomised pilot reports.',
    formula: PEAK_FORMULA,
    direction: 'higher-is-better',
    decimals: 3,
    of: (result) =>
      interval(headlineOf(result, 'peakDemand'), confidenceOf(result), { negate: true, percent: false }),
    unavailable: UNAVAILABLE,
  },
  {
    id: 'rct-peak-reduction-percent',
    scope: 'evaluation',
    label: 'Peak-window demand reduction, treatment vs control, percent',
    unit: '%',
    roles: ['utility', 'dso', 'regulator'],
    definition:
      'The peak-window reduction as a share of the control homes’ mean peak-window demand (the interval scales the same way; the control mean’s own uncertainty is not included).',
    formula: `100 · reduction / ȳ_C(market run); ${PEAK_FORMULA}`,
    direction: 'higher-is-better',
    decimals: 1,
    of: (result) =>
      interval(headlineOf(result, 'peakDemand'), confidenceOf(result), { negate: true, percent: true }),
    unavailable: UNAVAILABLE,
  },
  {
    id: 'rct-bill-change',
    scope: 'evaluation',
    label: 'Bill change, treatment vs control',
    unit: '{currency} per home',
    roles: ['customer', 'regulator'],
    definition:
      'How much more (negative: less) a home on the market pays over the horizon than a randomly assigned control home on the fixed tariff, with its confidence interval.',
    formula: BILL_FORMULA,
    direction: 'lower-is-better',
    decimals: 2,
    of: (result) =>
      interval(headlineOf(result, 'bill'), confidenceOf(result), { negate: false, percent: false }),
    unavailable: UNAVAILABLE,
  },
  {
    id: 'rct-bill-change-percent',
    scope: 'evaluation',
    label: 'Bill change, treatment vs control, percent',
    unit: '%',
    roles: ['customer', 'regulator'],
    definition:
      'The bill change as a share of the control homes’ mean bill (the control mean’s own uncertainty is not included).',
    formula: `100 · (ȳ_T − ȳ_C) / ȳ_C(market run); ${BILL_FORMULA}`,
    direction: 'lower-is-better',
    decimals: 1,
    of: (result) =>
      interval(headlineOf(result, 'bill'), confidenceOf(result), { negate: false, percent: true }),
    unavailable: UNAVAILABLE,
  },
  {
    id: 'rct-peak-reduction-mde',
    scope: 'evaluation',
    label: 'Minimum detectable peak reduction',
    unit: 'kW per home',
    roles: ['regulator', 'utility'],
    definition:
      'The smallest true peak-window reduction this group split would detect with 80% power in a two-sided test at the confidence level: below it, a pilot of this size cannot tell an effect from noise.',
    formula: '(t_{1−α/2,ν} + t_{0.8,ν}) · SE of the headline peak estimate',
    direction: 'lower-is-better',
    decimals: 3,
    of: (result) => {
      const headline = headlineOf(result, 'peakDemand');
      return headline === null ? null : { value: headline.minimumDetectableEffect };
    },
    unavailable: UNAVAILABLE,
  },
];
