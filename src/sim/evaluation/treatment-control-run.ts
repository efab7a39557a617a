/**
 * The control group wired into a simulation: the run options that keep control homes on plain control and
 * the fixed tariff, and the comparison made from the finished runs (run-simulation.ts calls both).
 */
import { fromMinorUnits, type Currency } from '../../core/money.js';
import { SeededRandom } from '../../core/random.js';
import type { CycleConfig } from '../../engine/transactive-cycle.js';
import type { Premises } from '../../engine/ports.js';
import { buildPopulation } from '../population.js';
import type { PremisesMeters } from '../results.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import { assignControlGroup, ownershipStrata } from './control-group.js';
import { compareTreatmentControl, type TreatmentControlComparison } from './treatment-control.js';

/** The label of the bootstrap's stream of the seed. */
const BOOTSTRAP_STREAM = 0xb0075;

export interface ControlGroupRuns {
  /** 1 for each control home. */
  readonly control: Uint8Array;
  /** The population of every run: control homes on plain control, with the class 'control'. */
  readonly population: (scenario: Scenario, rng: SeededRandom, label: 'te' | 'baseline') => Premises[];
  /** Extra settings of the market run's cycle: control homes pay the fixed tariff. */
  readonly marketCycle: Partial<CycleConfig>;
}

/** Null when the scenario has no control group (evaluation.controlShare 0). */
export function controlGroupRuns(scenario: Scenario): ControlGroupRuns | null {
  const control = assignControlGroup(scenario);
  if (control === null) return null;
  return {
    control,
    population: (s, rng, label) => buildPopulation(s, rng, label, control),
    marketCycle: {
      controlGroup: { premises: control, fixedTariffPerKwh: scenario.retail.fixedTariffPerKwh },
    },
  };
}

/** What the comparison needs of a finished run (runOnce's result). */
export interface MeteredRun {
  readonly run: { readonly meters?: PremisesMeters };
  /** Each home's bill over the run, minor units. */
  readonly billsMinor: ArrayLike<number>;
}

export function treatmentControlOfRuns(
  scenario: Scenario,
  control: Uint8Array,
  market: MeteredRun,
  baseline: MeteredRun,
  history: PremisesMeters | undefined,
  currency: Currency,
): TreatmentControlComparison | undefined {
  const marketMeters = market.run.meters;
  const baselineMeters = baseline.run.meters;
  if (marketMeters === undefined || baselineMeters === undefined) return undefined;
  const bills = (run: MeteredRun) =>
    Float64Array.from(run.billsMinor, (minor) => fromMinorUnits(minor, currency));
  return compareTreatmentControl({
    control,
    strata: ownershipStrata(scenario),
    market: marketMeters,
    baseline: baselineMeters,
    ...(history === undefined ? {} : { history }),
    marketBills: bills(market),
    baselineBills: bills(baseline),
    fixedTariffPerKwh: scenario.retail.fixedTariffPerKwh,
    peakWindow: scenario.evaluation.peakWindow,
    utcOffsetMinutes: scenario.utcOffsetMinutes,
    confidence: scenario.evaluation.confidenceLevel,
    bootstrapSeed: new SeededRandom(scenario.seed).fork(BOOTSTRAP_STREAM).nextUint32(),
  });
}
