import { describe, expect, it } from 'vitest';
import { marketMechanism } from '../market-design.js';
import { runSimulation } from '../run-simulation.js';
import type { Scenario } from '../scenario/parse-scenario.js';
import type { ForecastSpec } from '../scenario/scenario-schema.js';
import { defaultScenario, tucsonWeather } from '../test-scenario.fixture.js';
import { FORECAST_KPIS } from './forecast-kpis.js';
import { forecastSection } from './forecast-report.js';

const hour = 3_600_000;

function scenario(forecast: ForecastSpec | undefined, dayAheadPositions = true): Scenario {
  const base = defaultScenario();
  const { forecast: _none, ...rest } = base;
  return {
    ...rest,
    ...(forecast === undefined ? {} : { forecast }),
    marketPeriodMinutes: 60,
    marketPeriodMs: hour,
    endMs: base.startMs + 24 * hour,
    population: {
      ...base.population,
      homes: 16,
      pv: { share: 0.5, transactiveShare: 1 },
      battery: { share: 0.5, transactiveShare: 1 },
    },
    wholesale: { ...base.wholesale, substationCapacityKw: 80 },
    market: { ...base.market, dayAheadPositions },
    evaluation: { ...base.evaluation, historyDays: 7 },
  };
}

function simulate(s: Scenario) {
  const weather = tucsonWeather(s);
  return runSimulation({
    scenario: s,
    weather: weather.source,
    weatherSite: weather.siteName,
    mechanism: marketMechanism(s),
  });
}

const kpi = (id: string) => {
  const found = FORECAST_KPIS.find((k) => k.id === id);
  if (found === undefined) throw new Error(id);
  return found;
};

describe('the market on forecasts', () => {
  const regression = simulate(
    scenario({ model: 'seasonal-regression', usedBy: ['day-ahead-positions', 'battery'], costOfError: true }),
  );
  const forecast = regression.evaluation?.forecast;

  it('scores every model per hour ahead, the perfect one at zero error', () => {
    expect(forecast?.model).toBe('seasonal-regression');
    expect(forecast?.historyHours).toBe(168);
    expect(forecast?.scoredHours).toBe(24);
    expect(forecast?.models.map((m) => m.model)).toEqual(['seasonal-regression', 'persistence', 'perfect']);
    const perfect = forecast?.models.find((m) => m.model === 'perfect');
    expect(perfect?.byHorizon.every((h) => h.homeLoad.maeKwh === 0 && h.homePv.maeKwh === 0)).toBe(true);
    for (const model of forecast?.models.filter((m) => m.model !== 'perfect') ?? []) {
      expect(model.byHorizon[0]?.homeLoad.count).toBe(16 * 24);
      expect(model.dayAhead.aggregateLoad.mapePercent).toBeGreaterThan(0);
      expect(model.dayAhead.homePv.count).toBeGreaterThan(0);
    }
  });

  it('prices the error against a run on perfect forecasts, and the KPIs read it', () => {
    const cost = forecast?.costOfError;
    expect(cost).not.toBeNull();
    if (cost === undefined || cost === null) return;
    expect(cost.withModel.totalCost).toBe(regression.te.kpis.totalCost);
    expect(cost.extraCost).toBeCloseTo(cost.withModel.totalCost - cost.withPerfectForecasts.totalCost, 9);
    expect(cost.withModel.imbalanceKwh).toBeGreaterThan(0);
    expect(kpi('forecast-error-cost').of(regression)?.value).toBe(cost.extraCost);
    const dayAhead = forecast?.models[0]?.dayAhead;
    expect(kpi('forecast-load-mape').of(regression)?.value).toBe(dayAhead?.aggregateLoad.mapePercent);
    expect(kpi('forecast-load-nmae').of(regression)?.value).toBe(dayAhead?.homeLoad.nmaePercent);
    expect(kpi('forecast-pv-nmae').of(regression)?.value).toBe(dayAhead?.homePv.nmaePercent);
    const text = forecastSection(regression)?.text().join('\n') ?? '';
    for (const ahead of ['1 h', '6 h', '12 h', '24 h', 'day-ahead', 'Cost of forecast error']) {
      expect(text).toContain(ahead);
    }
    expect(JSON.stringify(forecastSection(regression)?.json())).not.toContain('NaN');
  });

  it("'perfect' keeps the market run of a scenario without forecasts", () => {
    const perfect = simulate(
      scenario({ model: 'perfect', usedBy: ['day-ahead-positions'], costOfError: true }),
    );
    const none = simulate(scenario(undefined));
    expect(perfect.te.kpis.totalCost).toBe(none.te.kpis.totalCost);
    expect(Array.from(perfect.te.series.substationLoadKw)).toEqual(
      Array.from(none.te.series.substationLoadKw),
    );
    expect(perfect.evaluation?.forecast?.costOfError).toBeNull();
    expect(none.evaluation?.forecast).toBeUndefined();
    expect(kpi('forecast-error-cost').of(perfect)).toBeNull();
    expect(perfect.evaluation?.forecast?.costOfErrorNote).toBe("the model is 'perfect': no error to price");
  });

  it('batteries on forecasts discharge more in the evening peak and cut the peak', () => {
    const peakWindowDischargeKwh = (result: ReturnType<typeof simulate>) => {
      const battery = result.te.series.loadByKindKw['battery'];
      let kwh = 0;
      result.slotStartMs.forEach((ms, i) => {
        const localHour = new Date(ms - 7 * hour).getUTCHours();
        if (localHour >= 16 && localHour < 21) kwh -= battery?.[i] ?? 0;
      });
      return kwh;
    };
    const priceOnly = simulate(scenario(undefined, false));
    const onForecasts = simulate(
      scenario({ model: 'seasonal-regression', usedBy: ['battery'], costOfError: false }, false),
    );
    // Measured: 51.0 -> 73.2 kWh discharged in 16:00-21:00, peak 79.5 -> 73.2 kW (total cost 90.47 -> 91.10 USD).
    expect(peakWindowDischargeKwh(onForecasts)).toBeGreaterThan(peakWindowDischargeKwh(priceOnly));
    expect(onForecasts.te.kpis.peakSubstationDemandKw).toBeLessThan(priceOnly.te.kpis.peakSubstationDemandKw);
  });
});
