/**
 * Treatment vs control: homes randomly assigned (from the seed, control-group.ts) to stay on the fixed
 * tariff and plain control inside the market run, compared with the market's homes with confidence
 * intervals, as a randomised pilot would be evaluated.
 *
 * Three estimates of each effect (treatment − control, per home), all with Welch's interval:
 * - difference in means of the market run's outcomes: the plain randomised estimate;
 * - difference in differences against each home's pre-period (when `evaluation.historyDays` > 0): each
 *   home's change from its own history, which removes most home-to-home variance and is still what a
 *   field evaluator can compute;
 * - difference in differences against the baseline run (the same home without the market): only a
 *   simulation knows this counterfactual; it is the check the field estimates are measured against.
 * The headline is the best estimate a field evaluator could make: the pre-period one when there is
 * history, otherwise the difference in means.
 */
import {
  bootstrapDifferenceInterval,
  minimumDetectableEffect,
  summarize,
  welchInterval,
} from './statistics.js';
import {
  difference,
  meanDemandKw,
  peakWindowHours,
  selectHomes,
  totalEnergyKwh,
  type PeakWindow,
} from './treatment-control-outcomes.js';
import type { PremisesMeters } from '../results.js';

export type EstimateMethod =
  'difference-in-means' | 'difference-in-differences-pre-period' | 'difference-in-differences-counterfactual';

export interface EffectEstimate {
  readonly method: EstimateMethod;
  /** Mean outcome of treated homes minus that of control homes (of their changes, for the DiD), per home. */
  readonly effect: number;
  readonly standardError: number;
  readonly degreesOfFreedom: number;
  readonly low: number;
  readonly high: number;
  /** Percentile bootstrap interval of the same difference (2,000 seeded resamples): a cross-check. */
  readonly bootstrapLow: number;
  readonly bootstrapHigh: number;
  /** The smallest effect this design detects at 80% power (two-sided test at the confidence level). */
  readonly minimumDetectableEffect: number;
  /** What a percentage is of: the control homes' mean outcome in the market run. */
  readonly referenceMean: number;
}

export interface OutcomeComparison {
  /** Mean outcome per home in the market run. */
  readonly treatmentMean: number;
  readonly controlMean: number;
  readonly headline: EffectEstimate;
  /** Every estimate made, the headline among them. */
  readonly estimates: readonly EffectEstimate[];
}

/** Pre-treatment covariates by group: randomisation should leave their means close. */
export interface CovariateBalance {
  readonly covariate: string;
  readonly unit: string;
  readonly treatmentMean: number;
  readonly controlMean: number;
  /** (treatment − control) / √((s²t + s²c)/2); |d| < 0.1 is conventionally balanced. NaN: both constant and unequal. */
  readonly standardizedDifference: number;
}

interface GroupSizes {
  readonly controlHomes: number;
  readonly treatmentHomes: number;
}

export type TreatmentControlComparison =
  | (GroupSizes & {
      readonly status: 'compared';
      readonly confidence: number;
      readonly peakWindow: PeakWindow & { readonly hours: number };
      /** Mean demand in the daily peak window, kW per home; a reason when the horizon has no such hour. */
      readonly peakDemand: OutcomeComparison | { readonly unavailable: string };
      /** The bill over the horizon, currency per home. */
      readonly bill: OutcomeComparison;
      readonly balance: readonly CovariateBalance[];
      readonly stratifiedBy: readonly string[];
    })
  | (GroupSizes & { readonly status: 'unavailable'; readonly reason: string });

export interface TreatmentControlInputs {
  /** 1 for each control home. */
  readonly control: Uint8Array;
  /** Each home's ownership stratum: bit 1 PV, 2 battery, 4 EV (control-group.ts). */
  readonly strata: Int32Array;
  readonly market: PremisesMeters;
  readonly baseline: PremisesMeters;
  readonly history?: PremisesMeters;
  /** Each home's bill over the horizon, currency (major units). */
  readonly marketBills: ArrayLike<number>;
  readonly baselineBills: ArrayLike<number>;
  /** The fixed tariff the pre-period is billed at. */
  readonly fixedTariffPerKwh: number;
  readonly peakWindow: PeakWindow;
  readonly utcOffsetMinutes: number;
  readonly confidence: number;
  readonly bootstrapSeed: number;
}

export const STRATIFIED_BY: readonly string[] = ['pv', 'battery', 'ev'];
const MIN_GROUP = 2;

/** Welch, bootstrap and MDE of one estimate from per-home values of both groups. */
function estimate(
  method: EstimateMethod,
  values: ArrayLike<number>,
  inputs: TreatmentControlInputs,
  referenceMean: number,
  seedOffset: number,
): EffectEstimate {
  const treated = selectHomes(values, inputs.control, 0);
  const control = selectHomes(values, inputs.control, 1);
  const welch = welchInterval(treated, control, inputs.confidence);
  const boot = bootstrapDifferenceInterval(
    treated,
    control,
    inputs.confidence,
    inputs.bootstrapSeed + seedOffset,
  );
  return {
    method,
    effect: welch.estimate,
    standardError: welch.standardError,
    degreesOfFreedom: welch.degreesOfFreedom,
    low: welch.low,
    high: welch.high,
    bootstrapLow: boot.low,
    bootstrapHigh: boot.high,
    minimumDetectableEffect: minimumDetectableEffect(
      welch.standardError,
      welch.degreesOfFreedom,
      inputs.confidence,
    ),
    referenceMean,
  };
}

/** The three estimates of one outcome; `preValues` null without history. */
function compareOutcome(
  inputs: TreatmentControlInputs,
  marketValues: ArrayLike<number>,
  baselineValues: ArrayLike<number>,
  preValues: ArrayLike<number> | null,
  seedOffset: number,
): OutcomeComparison {
  const controlMean = summarize(selectHomes(marketValues, inputs.control, 1)).mean;
  const treatmentMean = summarize(selectHomes(marketValues, inputs.control, 0)).mean;
  const simple = estimate('difference-in-means', marketValues, inputs, controlMean, seedOffset);
  const pre =
    preValues === null
      ? null
      : estimate(
          'difference-in-differences-pre-period',
          difference(marketValues, preValues),
          inputs,
          controlMean,
          seedOffset + 1,
        );
  const counterfactual = estimate(
    'difference-in-differences-counterfactual',
    difference(marketValues, baselineValues),
    inputs,
    controlMean,
    seedOffset + 2,
  );
  return {
    treatmentMean,
    controlMean,
    headline: pre ?? simple,
    estimates: pre === null ? [simple, counterfactual] : [simple, pre, counterfactual],
  };
}

function balanceOf(
  covariate: string,
  unit: string,
  values: ArrayLike<number>,
  control: Uint8Array,
): CovariateBalance {
  const treated = summarize(selectHomes(values, control, 0));
  const controls = summarize(selectHomes(values, control, 1));
  const pooledSd = Math.sqrt((treated.variance + controls.variance) / 2);
  const gap = treated.mean - controls.mean;
  return {
    covariate,
    unit,
    treatmentMean: treated.mean,
    controlMean: controls.mean,
    standardizedDifference: pooledSd > 0 ? gap / pooledSd : gap === 0 ? 0 : Number.NaN,
  };
}

export function compareTreatmentControl(inputs: TreatmentControlInputs): TreatmentControlComparison {
  const { control, market, baseline, history, peakWindow, utcOffsetMinutes } = inputs;
  let controlHomes = 0;
  for (const flag of control) controlHomes += flag;
  const sizes = { controlHomes, treatmentHomes: control.length - controlHomes };
  if (sizes.controlHomes < MIN_GROUP || sizes.treatmentHomes < MIN_GROUP) {
    return {
      ...sizes,
      status: 'unavailable',
      reason: `the control group has ${sizes.controlHomes} homes and the treatment group ${sizes.treatmentHomes}: each needs at least ${MIN_GROUP} for an interval (change evaluation.controlShare or population.homes)`,
    };
  }
  const windowHours = peakWindowHours(market, peakWindow, utcOffsetMinutes);
  const baselinePeakKw = meanDemandKw(baseline, peakWindowHours(baseline, peakWindow, utcOffsetMinutes));
  const historyHours = history === undefined ? [] : peakWindowHours(history, peakWindow, utcOffsetMinutes);
  const prePeakKw =
    history === undefined || historyHours.length === 0 ? null : meanDemandKw(history, historyHours);
  const peakDemand =
    windowHours.length === 0
      ? {
          unavailable: `the horizon holds no hour of the peak window ${peakWindow.startHour}:00–${peakWindow.endHour}:00 local time`,
        }
      : compareOutcome(inputs, meanDemandKw(market, windowHours), baselinePeakKw, prePeakKw, 0);
  // The pre-period is billed at the fixed tariff and scaled to the horizon's length.
  const preBills =
    history === undefined || history.hours === 0
      ? null
      : Float64Array.from(
          totalEnergyKwh(history),
          (kwh) => kwh * inputs.fixedTariffPerKwh * (market.hours / history.hours),
        );
  const bill = compareOutcome(inputs, inputs.marketBills, inputs.baselineBills, preBills, 10);
  const owns = (bit: number) =>
    Float64Array.from(inputs.strata, (stratum) => ((stratum & bit) === bit ? 1 : 0));
  const balance = [
    ...(windowHours.length === 0
      ? []
      : [balanceOf('baseline-peak-window-demand', 'kW', baselinePeakKw, control)]),
    ...(prePeakKw === null ? [] : [balanceOf('pre-period-peak-window-demand', 'kW', prePeakKw, control)]),
    balanceOf('baseline-bill', '{currency}', inputs.baselineBills, control),
    balanceOf('pv-ownership', 'share', owns(1), control),
    balanceOf('battery-ownership', 'share', owns(2), control),
    balanceOf('ev-ownership', 'share', owns(4), control),
  ];
  return {
    ...sizes,
    status: 'compared',
    confidence: inputs.confidence,
    peakWindow: { ...peakWindow, hours: windowHours.length },
    peakDemand,
    bill,
    balance,
    stratifiedBy: STRATIFIED_BY,
  };
}
