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
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { billChangeGini } from './fairness.js';
import { PriceStatistics } from '../engine/price-statistics.js';
import { TransactiveCycle } from '../engine/transactive-cycle.js';
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
import { marketAreas } from './market-areas.js';
import { PeakCurveCapture } from './peak-curves.js';
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
  let done = 0;
  const progress = () => inputs.onProgress?.(++done, slots.length * 2);

  // Homes sit on the same buses in both runs; the placement has its own stream of the seed.
  const connections =
    inputs.feeder === undefined
      ? null
      : scenarioHomePlacement(inputs.feeder, scenario.population.homes, scenario.seed);
  // The baseline runs first: with day-ahead positions, its hourly consumption is each home's forecast.
  const hours = Math.ceil((scenario.endMs - scenario.startMs) / MS_PER_HOUR);
  const expected = new HourlyLoadRecorder(scenario.population.homes, hours, scenario.startMs);
  const baselineRun = runOnce(
    'baseline',
    inputs,
    slots,
    wholesale,
    currency,
    progress,
    connections,
    expected,
    null,
  );
  const dayAhead = scenario.market.dayAheadPositions
    ? clearDayAheadPositions(
        expected,
        scenario.population.homes,
        hours,
        scenario.startMs,
        wholesale,
        scenario.market.priceCapPerKwh,
        scenario.retail.fixedTariffPerKwh,
      )
    : null;
  const teRun = runOnce('te', inputs, slots, wholesale, currency, progress, connections, null, dayAhead);
  const devicesPerRun = teRun.deviceCount;
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
    },
    slotStartMs: Float64Array.from(slots, (s) => s.startMs),
    te: {
      ...teRun.run,
      kpis: { ...teRun.run.kpis, billChangeGini: billChangeGini(teRun.billsMinor, baselineRun.billsMinor) },
    },
    baseline: baselineRun.run,
    peakCurves: teRun.peakCurves,
    ...(inputs.feeder === undefined || connections === null || teRun.feederRun === null
      ? {}
      : { gridLayout: gridLayout(inputs.feeder, teRun.feederRun.flow.busNames, connections) }),
    agentSteps: devicesPerRun * slots.length * 2,
  };
}

function runOnce(
  label: 'te' | 'baseline',
  inputs: SimulationInputs,
  slots: readonly TimeSlot[],
  wholesale: SubstationSupplier,
  currency: Currency,
  progress: () => void,
  connections: readonly HomeConnection[] | null,
  hourlyLoad: HourlyLoadRecorder | null,
  dayAhead: DayAheadPositions | null,
) {
  const { scenario, weather } = inputs;
  // Both runs draw from the same seed, so their homes and devices are identical.
  const premises: Premises[] = buildPopulation(scenario, new SeededRandom(scenario.seed), label);
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
  });
  const kpis = new KpiAccumulator(
    premises,
    cycle.devices,
    cycle.devicePremises,
    slots.length,
    scenario.wholesale.substationCapacityKw,
    currency,
  );
  const peak = new PeakCurveCapture(market.priceCapPerKwh);
  for (const slot of slots) {
    const snapshot = weather.snapshotAt(slot.startMs);
    const during = weather.snapshotAt((slot.startMs + slot.endMs) / 2);
    const report = cycle.runSlot(slot, snapshot, during);
    kpis.record(report);
    hourlyLoad?.record(slot, report.premisesLoadKw);
    feederRun?.afterSlot(report);
    if (label === 'te') peak.offer(report);
    progress();
  }
  const finished = kpis.finish();
  const run: SimulationRun = {
    label,
    kpis: finished.kpis,
    series: finished.series,
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
