/**
 * simulate = the engine on a virtual clock with simulated devices. Runs the scenario twice on identical
 * populations (same seed): once with the market (TE) and once without (baseline: fixed tariff, plain
 * control), and returns both runs' KPIs and time series.
 */
import { USD, type Currency } from '../core/money.js';
import { SeededRandom } from '../core/random.js';
import { MS_PER_DAY, MS_PER_HOUR, slotsBetween, toIsoWithOffset, type TimeSlot } from '../core/time.js';
import { createSubstationSupplier, type SubstationSupplier } from '../der/substation-supplier.js';
import type { Premises, WeatherSource } from '../engine/ports.js';
import { TransactiveCycle, type CycleConfig } from '../engine/transactive-cycle.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { billChangeGini } from './fairness.js';
import { PriceStatistics } from '../engine/price-statistics.js';
import type { Network } from '../grid/network.js';
import { FeederRun } from './feeder/feeder-run.js';
import { gridLayout } from './feeder/grid-layout.js';
import { scenarioHomePlacement, type HomeConnection } from './feeder/home-placement.js';
import {
  clearDayAheadPositions,
  forwardPositionsAt,
  HourlyLoadRecorder,
  type DayAheadPositions,
} from './day-ahead-positions.js';
import { KpiAccumulator } from './kpi-accumulator.js';
import { stakeholderContext } from './kpi/stakeholder-context.js';
import { marketAreas } from './market-areas.js';
import { PeakCurveCapture } from './peak-curves.js';
import { PremisesMetersRecorder } from './premises-meters.js';
import { prePeriodSlots } from './evaluation/pre-period.js';
import { measureSimulation } from './evaluation/measure-simulation.js';
import { controlGroupRuns, treatmentControlOfRuns } from './evaluation/treatment-control-run.js';
import { perfectForecastRunWanted, runMarketOnForecasts } from './forecast/forecast-runs.js';
import { buildPopulation, countDevices } from './population.js';
import type { SimulationResult, SimulationRun } from './results.js';
import type { Scenario } from './scenario/parse-scenario.js';
import { meanAndStdev, wholesaleForecast } from './wholesale-prices.js';

export interface SimulationInputs {
  readonly scenario: Scenario;
  /** The feeder the scenario names, already read (required when `scenario.feeder` is set). */
  readonly feeder?: Network;
  readonly weather: WeatherSource;
  readonly weatherSite: string;
  readonly mechanism: ClearingMechanism;
  /** Called after every slot of either run; `done` counts slots of both runs. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** What every run of one simulation shares: the inputs, the supplier, the currency, the homes' buses. */
export interface RunContext {
  readonly inputs: SimulationInputs;
  readonly wholesale: SubstationSupplier;
  readonly currency: Currency;
  readonly connections: readonly HomeConnection[] | null;
  /** Called after every slot. */
  readonly progress: () => void;
}

export interface RunOnceOptions {
  readonly label: 'te' | 'baseline';
  readonly slots: readonly TimeSlot[];
  readonly context: RunContext;
  /** Records each home's hourly consumption (the day-ahead positions' expectation). */
  readonly hourlyLoad?: HourlyLoadRecorder;
  readonly dayAhead?: DayAheadPositions | null;
  /**
   * Builds the homes; `buildPopulation` when absent. Every run draws from the same seed, so the homes and
   * devices are identical and only their control mode differs.
   */
  readonly population?: (scenario: Scenario, rng: SeededRandom, label: 'te' | 'baseline') => Premises[];
  /** Extra cycle settings, applied over the ones the scenario gives. */
  readonly cycle?: Partial<CycleConfig>;
}

export function runSimulation(inputs: SimulationInputs): SimulationResult {
  const { scenario } = inputs;
  const slots = slotsBetween(scenario.startMs, scenario.endMs, scenario.marketPeriodMs);
  const currency: Currency =
    scenario.currency === 'USD' ? USD : { code: scenario.currency, minorUnitsPerMajor: 100 };
  const wholesale = createSubstationSupplier({
    feederCapacityKw: scenario.wholesale.substationCapacityKw,
    wholesalePricePerKwhByHour: scenario.wholesale.pricePerKwhByHour,
    utcOffsetHours: scenario.utcOffsetMinutes / 60,
  });
  const historySlots = prePeriodSlots(scenario);
  // Pricing the forecast error runs the market once more.
  const marketRuns =
    1 + (perfectForecastRunWanted(scenario.forecast, scenario.market.dayAheadPositions) ? 1 : 0);
  let done = 0;
  const progress = () => inputs.onProgress?.(++done, slots.length * (1 + marketRuns) + historySlots.length);

  // Homes sit on the same buses in both runs; the placement has its own stream of the seed.
  const connections =
    inputs.feeder === undefined
      ? null
      : scenarioHomePlacement(inputs.feeder, scenario.population.homes, scenario.seed);
  const context: RunContext = { inputs, wholesale, currency, connections, progress };
  // The baseline runs first: with day-ahead positions, its hourly consumption is each home's forecast.
  const hours = Math.ceil((scenario.endMs - scenario.startMs) / MS_PER_HOUR);
  const expected = new HourlyLoadRecorder(scenario.population.homes, hours, scenario.startMs);
  // A control group (evaluation.controlShare) stays on plain control and the fixed tariff in the market run.
  const controlGroup = controlGroupRuns(scenario);
  const population = controlGroup === null ? {} : { population: controlGroup.population };
  const baselineRun = runOnce({ label: 'baseline', slots, context, hourlyLoad: expected, ...population });
  // The pre-period: the same homes metered before the pilot, without the market or the power flow.
  const history =
    historySlots.length === 0
      ? undefined
      : runOnce({ label: 'baseline', slots: historySlots, context: { ...context, connections: null } }).run
          .meters;
  // The market run, its strategies on the configured forecasts (learned from the pre-period and the
  // baseline's meters so far); with forecast.costOfError once more on perfect forecasts.
  const onForecasts = runMarketOnForecasts({
    spec: scenario.forecast,
    history,
    baselineMeters: baselineRun.run.meters,
    weather: inputs.weather,
    utcOffsetMinutes: scenario.utcOffsetMinutes,
    perfectExpected: expected,
    clearPositions: scenario.market.dayAheadPositions
      ? (expectation) =>
          clearDayAheadPositions(
            expectation,
            scenario.population.homes,
            hours,
            scenario.startMs,
            wholesale,
            scenario.market.priceCapPerKwh,
            scenario.retail.fixedTariffPerKwh,
          )
      : null,
    runMarket: (dayAhead, forecastCycle) =>
      runOnce({
        label: 'te',
        slots,
        context,
        dayAhead,
        ...population,
        cycle: { ...(controlGroup === null ? {} : controlGroup.marketCycle), ...forecastCycle },
      }),
  });
  const teRun = onForecasts.market;
  const forecast = onForecasts.evaluation;
  const devicesPerRun = teRun.deviceCount;
  const slotStartMs = Float64Array.from(slots, (s) => s.startMs);
  const measurement = measureSimulation(scenario, slotStartMs, teRun.run, baselineRun.run, history);
  const treatmentControl =
    controlGroup === null
      ? undefined
      : treatmentControlOfRuns(scenario, controlGroup.control, teRun, baselineRun, history, currency);
  return {
    meta: {
      scenarioName: scenario.name,
      description: scenario.description,
      seed: scenario.seed,
      startIso: toIsoWithOffset(scenario.startMs, scenario.utcOffsetMinutes),
      endIso: toIsoWithOffset(scenario.endMs, scenario.utcOffsetMinutes),
      marketPeriodMinutes: scenario.marketPeriodMinutes,
      mechanism: scenario.market.mechanism,
      currency: currency.code,
      homes: scenario.population.homes,
      deviceCounts: teRun.deviceCounts,
      substationCapacityKw: scenario.wholesale.substationCapacityKw,
      weatherSite: inputs.weatherSite,
      utcOffsetMinutes: scenario.utcOffsetMinutes,
      keyMetrics: scenario.evaluation.keyMetrics,
      ...(scenario.evaluation.loadGrowthPercentPerYear === undefined
        ? {}
        : { loadGrowthPercentPerYear: scenario.evaluation.loadGrowthPercentPerYear }),
    },
    slotStartMs,
    te: {
      ...teRun.run,
      kpis: { ...teRun.run.kpis, billChangeGini: billChangeGini(teRun.billsMinor, baselineRun.billsMinor) },
    },
    baseline: baselineRun.run,
    peakCurves: teRun.peakCurves,
    ...(inputs.feeder === undefined || connections === null || teRun.feederRun === null
      ? {}
      : { gridLayout: gridLayout(inputs.feeder, teRun.feederRun.flow.busNames, connections) }),
    agentSteps: devicesPerRun * (slots.length * (1 + marketRuns) + historySlots.length),
    ...(history === undefined ? {} : { history }),
    evaluation: {
      ...(measurement === undefined ? {} : { measurement }),
      ...(treatmentControl === undefined ? {} : { treatmentControl }),
      ...(forecast === undefined ? {} : { forecast }),
    },
  };
}

/** One run of the engine over the given slots: the TE market or the no-market baseline. */
export function runOnce(options: RunOnceOptions) {
  const { label, slots, context } = options;
  const { inputs, wholesale, currency, connections, progress } = context;
  const dayAhead = options.dayAhead ?? null;
  const { scenario, weather } = inputs;
  // Both runs draw from the same seed, so their homes and devices are identical.
  const premises: Premises[] = (options.population ?? buildPopulation)(
    scenario,
    new SeededRandom(scenario.seed),
    label,
  );
  const market = scenario.market;
  const prior = meanAndStdev(scenario.wholesale.pricePerKwhByHour);
  const windowSlots = Math.round((market.priceStatisticsWindowHours * MS_PER_HOUR) / scenario.marketPeriodMs);
  const feederSpec = scenario.feeder;
  const feederRun =
    inputs.feeder === undefined || feederSpec === undefined || connections === null
      ? null
      : new FeederRun(
          inputs.feeder,
          feederSpec,
          premises,
          connections,
          slots.length,
          label === 'te' && feederSpec.operatingEnvelopes,
        );
  const cycle = new TransactiveCycle(premises, {
    ...(dayAhead === null
      ? {}
      : { forwardPositions: (slot: TimeSlot) => forwardPositionsAt(dayAhead, slot) }),
    areas: marketAreas(scenario, connections),
    ...(feederRun?.envelopes == null ? {} : { operatingEnvelopes: feederRun.envelopes }),
    mode: label === 'te' ? 'transactive' : 'baseline',
    priceCapPerKwh: market.priceCapPerKwh,
    bidOffsetPerKwh: market.bidOffsetPerKwh,
    mustRunPricePerKwh: market.mustRunPricePerKwh ?? market.priceCapPerKwh,
    mustRunValuePerKwh: scenario.retail.fixedTariffPerKwh,
    mechanism: inputs.mechanism,
    supplier: wholesale,
    tariff:
      label === 'te'
        ? { kind: 'real-time', distributionChargePerKwh: scenario.retail.distributionChargePerKwh }
        : { kind: 'fixed', energyPricePerKwh: scenario.retail.fixedTariffPerKwh },
    currency,
    priceStatistics: new PriceStatistics(
      windowSlots,
      market.initialPriceMeanPerKwh ?? prior.mean,
      market.initialPriceStdevPerKwh ?? prior.stdev,
    ),
    forecastPricesPerKwh: (slot) => wholesaleForecast(wholesale, slot, MS_PER_DAY),
    ...options.cycle,
  });
  const kpis = new KpiAccumulator(
    premises,
    cycle.devices,
    cycle.devicePremises,
    slots.length,
    scenario.wholesale.substationCapacityKw,
    currency,
    stakeholderContext(scenario),
  );
  const peak = new PeakCurveCapture(market.priceCapPerKwh);
  const firstSlotMs = slots[0]?.startMs ?? scenario.startMs;
  const meters = new PremisesMetersRecorder(
    firstSlotMs,
    Math.ceil(((slots.at(-1)?.endMs ?? firstSlotMs) - firstSlotMs) / MS_PER_HOUR),
    premises.length,
  );
  for (const slot of slots) {
    const snapshot = weather.snapshotAt(slot.startMs);
    const during = weather.snapshotAt((slot.startMs + slot.endMs) / 2);
    const report = cycle.runSlot(slot, snapshot, during);
    kpis.record(report);
    options.hourlyLoad?.record(slot, report.premisesLoadKw);
    meters.record(report, during, kpis.pvGenerationByPremisesKw);
    feederRun?.afterSlot(report);
    if (label === 'te') peak.offer(report);
    progress();
  }
  const finished = kpis.finish();
  const run: SimulationRun = {
    label,
    kpis: finished.kpis,
    series: finished.series,
    ...finished.runFields,
    meters: meters.finish(),
    ...(feederRun === null ? {} : { grid: feederRun.kpis.finish(feederRun.inverterLoopFailures) }),
  };
  return {
    run,
    peakCurves: label === 'te' ? peak.curves() : null,
    deviceCount: cycle.devices.length,
    billsMinor: kpis.premisesBillMinor,
    feederRun,
    deviceCounts: countDevices(premises),
  };
}
