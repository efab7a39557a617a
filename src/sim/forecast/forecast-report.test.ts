import { describe, expect, it } from 'vitest';
import { makeTestResult } from '../report/test-result.fixture.js';
import type { ForecastEvaluation } from './forecast-evaluation.js';
import type { ErrorScores, ForecastScores } from './forecast-metrics.js';
import { forecastSection } from './forecast-report.js';

const errors = (maeKwh: number, mapePercent = Number.NaN): ErrorScores => ({
  maeKwh,
  rmseKwh: maeKwh * 2,
  mapePercent,
  nmaePercent: maeKwh * 10,
  count: 24,
});
const scores = (maeKwh: number): ForecastScores => ({
  aggregateLoad: errors(maeKwh, 5),
  homeLoad: errors(maeKwh / 10),
  homePv: { ...errors(0), count: 0 },
});

const forecast: ForecastEvaluation = {
  model: 'persistence',
  usedBy: ['day-ahead-positions'],
  historyHours: 168,
  scoredHours: 24,
  homes: 3,
  models: [
    {
      model: 'persistence',
      byHorizon: Array.from({ length: 24 }, (_, k) => ({ aheadHours: k + 1, ...scores(k + 1) })),
      dayAhead: scores(7),
    },
  ],
  costOfError: {
    withModel: { totalCost: 12.5, imbalanceKwh: 40, peakSubstationDemandKw: 9 },
    withPerfectForecasts: { totalCost: 12, imbalanceKwh: Number.NaN, peakSubstationDemandKw: 8.5 },
    extraCost: 0.5,
  },
  costOfErrorNote: 'the market run again with perfect forecasts',
  notes: ['a <note>'],
};

describe('forecastSection', () => {
  it('is absent without forecasts', () => {
    expect(forecastSection(makeTestResult())).toBeNull();
  });

  it('shows 1, 6, 12 and 24 h ahead and the day-ahead forecast, and the cost of error', () => {
    const result = { ...makeTestResult(), evaluation: { forecast } };
    const section = forecastSection(result);
    const text = section?.text() ?? [];
    const rows = text.filter((line) => line.startsWith('persistence'));
    expect(rows.map((line) => line.split(/\s{2,}/)[1])).toEqual(['1 h', '6 h', '12 h', '24 h', 'day-ahead']);
    // 6 h ahead: MAE 6, RMSE 12, MAPE 5, home nMAE 6, no PV home.
    expect(rows[1]?.split(/\s{2,}/).slice(2)).toEqual(['6.00', '12.00', '5.0', '6.0', '—']);
    expect(text.join('\n')).toContain('Cost of forecast error: +0.50 USD');
    expect(text.join('\n')).toContain('imbalance settled in real time 40.0 kWh, peak 9.0 kW');
    // Day-ahead: aggregate MAE 7 against 3 homes × 0.7.
    expect(text).toContain(
      "Errors cancel across homes: the aggregate's day-ahead MAE is 333% of the sum of the homes' MAEs (7.00 vs 2.10 kWh).",
    );
    expect(section?.html()).toContain('a &lt;note&gt;');
    const json = section?.json() as { models: { byHorizon: unknown[] }[]; costOfError: unknown };
    expect(json.models[0]?.byHorizon).toHaveLength(24);
    expect(JSON.stringify(json)).not.toContain('NaN');
    expect(JSON.stringify(json.costOfError)).toContain('"imbalanceKwh":null');
  });
});
