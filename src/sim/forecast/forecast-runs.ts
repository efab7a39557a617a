/**
 * The market run on forecasts. After the no-market baseline run, every model forecasts each home's hourly
 * consumption and PV from the pre-period and the meters up to each issue hour; the configured model's
 * forecasts feed the strategies named in `usedBy` (day-ahead positions, batteries); with `costOfError`
 * the market runs once more on perfect forecasts and the difference is the forecast error's cost.
 *
 * What is forecast is the home as it would be without the market: the baseline run's meters (the
 * pre-period has no market either). Strategies so never forecast their own reactions, and the 'perfect'
 * model is exactly the expectation the day-ahead positions used before forecasting existed.
 */
import { MS_PER_HOUR, type TimeSlot } from '../../core/time.js';
import type { DerKind } from '../../der/types.js';
import type { WeatherSource } from '../../engine/ports.js';
import type { CycleConfig } from '../../engine/transactive-cycle.js';
import type { DayAheadPositions } from '../day-ahead-positions.js';
import type { PremisesMeters, SimulationRun } from '../results.js';
import type { ForecastSpec } from '../scenario/scenario-schema.js';
import type {
  ForecastErrorCost,
  ForecastEvaluation,
  ForecastRunOutcome,
  ForecastUser,
} from './forecast-evaluation.js';
import type { ForecastModelName } from './forecast-models.js';
import { dayAheadNetLoadKwh, rollingForecast, scoreModel, type ForecastTable } from './forecast-scoring.js';
import { meterTimeline } from './meter-timeline.js';

/** Hourly expected energy per premises, premises-major ([p * hours + h]), what positions are tendered from. */
export interface HourlyExpectation {
  readonly energyKwh: ArrayLike<number>;
}

export interface ForecastRunArgs<R extends { readonly run: SimulationRun }> {
  readonly spec: ForecastSpec | undefined;
  readonly history: PremisesMeters | undefined;
  /** The no-market baseline run's meters over the horizon. */
  readonly baselineMeters: PremisesMeters | undefined;
  readonly weather: WeatherSource;
  readonly utcOffsetMinutes: number;
  /** The baseline run's hourly net energy: the perfect expectation. */
  readonly perfectExpected: HourlyExpectation;
  /** Clears the day-ahead positions from an expectation; null when the design has none. */
  readonly clearPositions: ((expected: HourlyExpectation) => DayAheadPositions) | null;
  readonly runMarket: (dayAhead: DayAheadPositions | null, cycle: Partial<CycleConfig>) => R;
}

const ALL_MODELS: readonly ForecastModelName[] = ['persistence', 'seasonal-regression', 'perfect'];

export function runMarketOnForecasts<R extends { readonly run: SimulationRun }>(
  args: ForecastRunArgs<R>,
): {
  readonly market: R;
  readonly dayAhead: DayAheadPositions | null;
  readonly evaluation?: ForecastEvaluation;
} {
  const { spec, baselineMeters } = args;
  if (spec === undefined || baselineMeters === undefined) {
    const dayAhead = args.clearPositions?.(args.perfectExpected) ?? null;
    return { market: args.runMarket(dayAhead, {}), dayAhead };
  }
  const usedBy = spec.usedBy as readonly ForecastUser[];
  const timeline = meterTimeline(
    args.history,
    baselineMeters,
    (timeMs) => args.weather.snapshotAt(timeMs).ghiWm2,
    args.utcOffsetMinutes,
  );
  const positionsOnForecast = usedBy.includes('day-ahead-positions') && args.clearPositions !== null;
  const devicesOnForecast = new Set<string>(usedBy.filter((user) => user === 'battery' || user === 'ev'));
  const strategiesUseForecasts = positionsOnForecast || devicesOnForecast.size > 0;
  const perfectRunWanted = perfectForecastRunWanted(spec, args.clearPositions !== null);
  const models = [spec.model, ...ALL_MODELS.filter((model) => model !== spec.model)];
  const tables = new Map<ForecastModelName, ForecastTable>();
  const scores = models.map((model) => {
    const keep =
      strategiesUseForecasts && (model === spec.model || (model === 'perfect' && perfectRunWanted));
    const scored = scoreModel(model, timeline, keep);
    if (scored.table !== null) tables.set(model, scored.table);
    return scored.scores;
  });
  const run = (model: ForecastModelName) => {
    const table = tables.get(model);
    const expected =
      !positionsOnForecast || model === 'perfect' || table === undefined
        ? args.perfectExpected
        : { energyKwh: dayAheadNetLoadKwh(table) };
    const dayAhead = args.clearPositions?.(expected) ?? null;
    const cycle: Partial<CycleConfig> =
      devicesOnForecast.size > 0 && table !== undefined
        ? {
            premisesForecast: (slot: TimeSlot, premises: number, kind: DerKind) =>
              devicesOnForecast.has(kind)
                ? rollingForecast(
                    table,
                    Math.floor((slot.startMs - baselineMeters.startMs) / MS_PER_HOUR),
                    premises,
                  )
                : null,
          }
        : {};
    return { market: args.runMarket(dayAhead, cycle), dayAhead };
  };
  const withModel = run(spec.model);
  let costOfError: ForecastErrorCost | null = null;
  if (perfectRunWanted) {
    const perfect = run('perfect');
    const modelOutcome = runOutcome(withModel.market.run, withModel.dayAhead);
    const perfectOutcome = runOutcome(perfect.market.run, perfect.dayAhead);
    costOfError = {
      withModel: modelOutcome,
      withPerfectForecasts: perfectOutcome,
      extraCost: modelOutcome.totalCost - perfectOutcome.totalCost,
    };
  }
  const evaluation: ForecastEvaluation = {
    model: spec.model,
    usedBy,
    historyHours: timeline.horizonStartHour,
    scoredHours: timeline.hours - timeline.horizonStartHour,
    homes: timeline.premises,
    models: scores,
    costOfError,
    costOfErrorNote: costOfErrorNote(spec, strategiesUseForecasts),
    notes: forecastNotes(usedBy, timeline.horizonStartHour, args.clearPositions !== null),
  };
  return { ...withModel, evaluation };
}

/** Whether the market runs once more on perfect forecasts to price the forecast error. */
export function perfectForecastRunWanted(
  spec: ForecastSpec | undefined,
  dayAheadPositions: boolean,
): boolean {
  if (spec === undefined || !spec.costOfError || spec.model === 'perfect') return false;
  return (
    (spec.usedBy.includes('day-ahead-positions') && dayAheadPositions) ||
    spec.usedBy.includes('battery') ||
    spec.usedBy.includes('ev')
  );
}

function costOfErrorNote(spec: ForecastSpec, strategiesUseForecasts: boolean): string {
  if (!spec.costOfError) return 'not asked for (forecast.costOfError: false)';
  if (spec.model === 'perfect') return "the model is 'perfect': no error to price";
  if (!strategiesUseForecasts)
    return 'no strategy bids on the forecasts (forecast.usedBy): the error costs nothing';
  return 'the market run again with perfect forecasts';
}

function forecastNotes(
  usedBy: readonly ForecastUser[],
  historyHours: number,
  dayAheadPositions: boolean,
): string[] {
  const notes = [
    "Forecasts are of each home's consumption and PV without the market (the baseline run's meters), updated every hour with what was metered before the issue hour.",
    'The weather forecast is the TMY3 actual (a perfect weather forecast): real day-ahead forecasts miss temperature by a few °F and cloud cover far more, so the regression, PV above all, scores better than it would in the field.',
  ];
  if (historyHours === 0) {
    notes.push('No pre-period (evaluation.historyDays: 0): the first day is forecast from nothing (0 kWh).');
  }
  if (usedBy.includes('day-ahead-positions') && !dayAheadPositions) {
    notes.push(
      'forecast.usedBy names day-ahead-positions but the design has none (market.dayAheadPositions: false).',
    );
  }
  return notes;
}

/** Total cost, imbalance against the day-ahead positions, peak of one market run. */
export function runOutcome(run: SimulationRun, dayAhead: DayAheadPositions | null): ForecastRunOutcome {
  return {
    totalCost: run.kpis.totalCost,
    imbalanceKwh:
      dayAhead === null || run.meters === undefined ? Number.NaN : imbalanceKwh(run.meters, dayAhead),
    peakSubstationDemandKw: run.kpis.peakSubstationDemandKw,
  };
}

/** Σ over homes and hours of |metered net energy − the hour's day-ahead position|, kWh. */
export function imbalanceKwh(meters: PremisesMeters, dayAhead: DayAheadPositions): number {
  let total = 0;
  const offsetHours = Math.round((meters.startMs - dayAhead.startMs) / MS_PER_HOUR);
  for (let p = 0; p < meters.premises; p++) {
    for (let h = 0; h < meters.hours; h++) {
      const positionHour = h + offsetHours;
      const positionKwh =
        positionHour >= 0 && positionHour < dayAhead.hours
          ? (dayAhead.positionKw[positionHour * dayAhead.premises + p] ?? 0)
          : 0;
      total += Math.abs((meters.netLoadKwh[p * meters.hours + h] ?? 0) - positionKwh);
    }
  }
  return total;
}
