import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MS_PER_DAY, MS_PER_HOUR } from '../../core/time.js';
import { marketMechanism } from '../market-design.js';
import type { PremisesMeters, SimulationResult } from '../results.js';
import { runSimulation } from '../run-simulation.js';
import { parseScenario, type Scenario } from '../scenario/parse-scenario.js';
import { loadScenarioWeather } from '../scenario-weather.js';
import {
  DEFAULT_SCENARIO_FILE,
  TUCSON_WEATHER_FILE,
  defaultScenario,
  tucsonWeather,
} from '../test-scenario.fixture.js';
import { LocalCalendar } from './event-windows.js';
import { measureAndVerify, type EventMeasurement, type MethodMeasurement } from './measurement.js';

/** 20 homes, one day (Wednesday 15 July 2026, Tucson) at 60-minute periods, no feeder: fast. */
function smallScenario(historyDays: number): Scenario {
  const base = defaultScenario();
  return {
    ...base,
    population: { ...base.population, homes: 20 },
    wholesale: { ...base.wholesale, substationCapacityKw: 60 },
    marketPeriodMinutes: 60,
    marketPeriodMs: MS_PER_HOUR,
    evaluation: { ...base.evaluation, historyDays },
  };
}

function simulate(scenario: Scenario): SimulationResult {
  const weather = tucsonWeather(scenario);
  return runSimulation({
    scenario,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: marketMechanism(scenario),
  });
}

function method(result: { methods: readonly MethodMeasurement[] }, name: MethodMeasurement['method']) {
  const found = result.methods.find((m) => m.method === name);
  if (found === undefined) throw new Error(`no ${name}`);
  return found;
}

const kwhAt = (meters: PremisesMeters, p: number, h: number) => meters.netLoadKwh[p * meters.hours + h] ?? 0;

describe('measurement and verification on a small simulation', () => {
  const scenario = smallScenario(3);
  const result = simulate(scenario);
  const measurement = result.evaluation?.measurement;
  if (measurement === undefined) throw new Error('no measurement');
  // The default peak window, 16:00-21:00 local (UTC-7): hours 16..20 of the horizon.
  const firstHour = 16;

  it('simulates the pre-period on the same homes, hourly', () => {
    const history = result.history;
    if (history === undefined) throw new Error('no history');
    expect(history.startMs).toBe(scenario.startMs - 3 * MS_PER_DAY);
    expect(history.hours).toBe(72);
    expect(history.premises).toBe(20);
    // Each day's meters of the horizon's baseline run and the pre-period are from the same appliances:
    // their daily energy is of the same size, not identical (different weather and starting states).
    let historyDayKwh = 0;
    let horizonKwh = 0;
    for (let p = 0; p < 20; p++) {
      for (let h = 48; h < 72; h++) historyDayKwh += kwhAt(history, p, h);
      for (let h = 0; h < 24; h++) horizonKwh += kwhAt(result.baseline.meters as PremisesMeters, p, h);
    }
    expect(historyDayKwh / horizonKwh).toBeGreaterThan(0.7);
    expect(historyDayKwh / horizonKwh).toBeLessThan(1.3);
  });

  it('measures delivered flexibility against the counterfactual: baseline run minus market run', () => {
    expect(measurement.windows).toEqual([
      {
        startMs: scenario.startMs + 16 * MS_PER_HOUR,
        endMs: scenario.startMs + 21 * MS_PER_HOUR,
        source: 'peak-window',
      },
    ]);
    const counterfactual = method(measurement, 'counterfactual');
    if (!counterfactual.available) throw new Error(counterfactual.reason);
    const event = counterfactual.events[0] as EventMeasurement;
    const te = result.te.meters as PremisesMeters;
    const baseline = result.baseline.meters as PremisesMeters;
    let expectedKwh = 0;
    for (let p = 0; p < 20; p++) {
      let customerKwh = 0;
      for (let h = firstHour; h < firstHour + 5; h++) customerKwh += kwhAt(baseline, p, h) - kwhAt(te, p, h);
      expect(event.perCustomerDeliveredKwh[p]).toBeCloseTo(customerKwh, 4);
      expectedKwh += customerKwh;
    }
    expect(event.deliveredKwh).toBeCloseTo(expectedKwh, 3);
    expect(event.deliveredMeanKw).toBeCloseTo(expectedKwh / 5, 3);
    expect(counterfactual.deliveredKwh).toBeCloseTo(expectedKwh, 3);
    // Five 60-minute slots: per-slot delivered power integrates to the event's energy.
    expect(event.perSlotDeliveredKw).toHaveLength(5);
    let slotKwh = 0;
    event.perSlotDeliveredKw.forEach((kw, i) => {
      const s = firstHour + i;
      expect(kw).toBeCloseTo(
        (result.baseline.series.substationLoadKw[s] ?? 0) - (result.te.series.substationLoadKw[s] ?? 0),
        9,
      );
      slotKwh += kw;
    });
    expect(slotKwh).toBeCloseTo(expectedKwh, 3);
    expect(counterfactual.accuracy).toBeUndefined();
  });

  it('says why the 10-in-10 and the regression are unavailable with three days of history', () => {
    expect(method(measurement, 'caiso-10-in-10')).toEqual({
      method: 'caiso-10-in-10',
      available: false,
      reason: expect.stringContaining('only 2 eligible non-event weekday days'),
    });
    expect(method(measurement, 'weather-regression')).toEqual({
      method: 'weather-regression',
      available: false,
      reason: expect.stringContaining('3.0 days of pre-period meter data, at least 5 needed'),
    });
  });

  it('computes the field baselines from the pre-period and scores them against the counterfactual', () => {
    const relaxed = measureAndVerify({
      windows: measurement.windows,
      calendar: new LocalCalendar(scenario.utcOffsetMinutes),
      metered: result.te.meters as PremisesMeters,
      counterfactual: result.baseline.meters as PremisesMeters,
      history: result.history as PremisesMeters,
      slotStartMs: result.slotStartMs,
      marketPeriodMs: MS_PER_HOUR,
      meteredSlotLoadKw: result.te.series.substationLoadKw,
      counterfactualSlotLoadKw: result.baseline.series.substationLoadKw,
      caiso: { weekdayMinimumDays: 2 },
      regression: { minimumDays: 3 },
    });
    const caiso = method(relaxed, 'caiso-10-in-10');
    if (!caiso.available) throw new Error(caiso.reason);
    const event = caiso.events[0] as EventMeasurement;
    // By hand for customer 0: the like days are Monday and Tuesday, history days 1 and 2 (hours 24.., 48..);
    // the adjustment hours are 12-14 of the event day.
    const history = result.history as PremisesMeters;
    const te = result.te.meters as PremisesMeters;
    const likeMean = (h: number) => (kwhAt(history, 0, 24 + h) + kwhAt(history, 0, 48 + h)) / 2;
    const adjustActual = kwhAt(te, 0, 12) + kwhAt(te, 0, 13) + kwhAt(te, 0, 14);
    const adjustBaseline = likeMean(12) + likeMean(13) + likeMean(14);
    const ratio = Math.min(1.2, Math.max(0.8, adjustActual / adjustBaseline));
    let delivered = 0;
    for (let h = 16; h < 21; h++) delivered += ratio * likeMean(h) - kwhAt(te, 0, h);
    expect(event.perCustomerDeliveredKwh[0]).toBeCloseTo(delivered, 4);
    expect(caiso.accuracy?.eventsCompared).toBe(1);
    const truth = method(relaxed, 'counterfactual');
    if (!truth.available) throw new Error(truth.reason);
    const truthEvent = truth.events[0] as EventMeasurement;
    // The error against the counterfactual is the baselines' difference (metered cancels).
    expect(caiso.accuracy?.aggregateErrorKwh).toBeCloseTo(event.baselineKwh - truthEvent.baselineKwh, 6);
    expect(caiso.accuracy?.aggregateBiasPercent).toBeCloseTo(
      (100 * (event.baselineKwh - truthEvent.baselineKwh)) / truthEvent.baselineKwh,
      6,
    );
    const regression = method(relaxed, 'weather-regression');
    if (!regression.available) throw new Error(regression.reason);
    expect(regression.accuracy?.customersCompared).toBeGreaterThan(0);
    expect(Number.isFinite(regression.deliveredKwh)).toBe(true);
  });

  it('without history: only the counterfactual, the others unavailable with the reason', () => {
    const bare = simulate(smallScenario(0));
    expect(bare.history).toBeUndefined();
    const m = bare.evaluation?.measurement;
    expect(m && method(m, 'counterfactual').available).toBe(true);
    expect(m && method(m, 'caiso-10-in-10')).toEqual({
      method: 'caiso-10-in-10',
      available: false,
      reason: expect.stringContaining('no pre-period'),
    });
  });
});

describe('bad input', () => {
  it('rejects an event outside the horizon when the scenario is parsed', () => {
    const text = `${readFileSync(DEFAULT_SCENARIO_FILE, 'utf8')}\nevaluation:\n  events:\n    - { start: '2026-07-16T16:00:00-07:00', end: '2026-07-16T18:00:00-07:00' }\n`;
    const parsed = parseScenario(text, 'events.yaml');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error[0]?.code).toBe('TE_ERR_SCENARIO');
    expect(parsed.error[0]?.path).toContain('evaluation.events[0]');
  });

  it('rejects a pre-period before the weather year with a coded error at load time', () => {
    const startMs = Date.parse('2026-01-03T00:00:00-07:00');
    const early = loadScenarioWeather(TUCSON_WEATHER_FILE, {
      startMs,
      endMs: startMs + MS_PER_DAY,
      evaluation: { historyDays: 5 },
    });
    expect(early.ok).toBe(false);
    if (!early.ok) {
      expect(early.error.code).toBe('TE_ERR_WEATHER_RANGE');
      expect(early.error.message).toContain('evaluation.historyDays = 5');
    }
    const fits = loadScenarioWeather(TUCSON_WEATHER_FILE, {
      startMs,
      endMs: startMs + MS_PER_DAY,
      evaluation: { historyDays: 2 },
    });
    expect(fits.ok).toBe(true);
  });
});
