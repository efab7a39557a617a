/** The report section of result.evaluation.forecast (null when absent): terminal text, HTML, JSON. */
import { escapeHtml } from '../report/html-escape.js';
import { formatNumber, formatSigned } from '../report/number-format.js';
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';
import type { ForecastErrorCost, ForecastEvaluation, ForecastRunOutcome } from './forecast-evaluation.js';
import type { ErrorScores, ForecastScores } from './forecast-metrics.js';
import type { ModelScores } from './forecast-scoring.js';

/** The hours ahead the tables show (all 24 are in the JSON). */
export const REPORTED_HORIZONS = [1, 6, 12, 24] as const;

const HEADINGS = [
  'Model',
  'Ahead',
  'Load MAE kWh',
  'Load RMSE kWh',
  'Load MAPE %',
  'Home nMAE %',
  'PV nMAE %',
];

function rowCells(model: string, ahead: string, scores: ForecastScores): string[] {
  return [
    model,
    ahead,
    formatNumber(scores.aggregateLoad.maeKwh, 2),
    formatNumber(scores.aggregateLoad.rmseKwh, 2),
    formatNumber(scores.aggregateLoad.mapePercent, 1),
    formatNumber(scores.homeLoad.nmaePercent, 1),
    scores.homePv.count === 0 ? '—' : formatNumber(scores.homePv.nmaePercent, 1),
  ];
}

function rows(forecast: ForecastEvaluation): string[][] {
  return forecast.models.flatMap((model) => [
    ...REPORTED_HORIZONS.map((ahead) => {
      const scores = model.byHorizon[ahead - 1];
      return scores === undefined ? [] : rowCells(model.model, `${ahead} h`, scores);
    }),
    rowCells(model.model, 'day-ahead', model.dayAhead),
  ]);
}

function outcomeText(outcome: ForecastRunOutcome, currency: string): string {
  const imbalance = Number.isFinite(outcome.imbalanceKwh)
    ? `, imbalance settled in real time ${formatNumber(outcome.imbalanceKwh, 1)} kWh`
    : '';
  return `total cost ${formatNumber(outcome.totalCost, 2)} ${currency}${imbalance}, peak ${formatNumber(outcome.peakSubstationDemandKw, 1)} kW`;
}

function costLines(forecast: ForecastEvaluation, currency: string): string[] {
  const cost: ForecastErrorCost | null = forecast.costOfError;
  if (cost === null) return [`Cost of forecast error: ${forecast.costOfErrorNote}.`];
  return [
    `Cost of forecast error: ${formatSigned(cost.extraCost, 2)} ${currency} (${forecast.costOfErrorNote}).`,
    `  with ${forecast.model}: ${outcomeText(cost.withModel, currency)}`,
    `  with perfect forecasts: ${outcomeText(cost.withPerfectForecasts, currency)}`,
  ];
}

function summary(forecast: ForecastEvaluation): string {
  const users = forecast.usedBy.length === 0 ? 'no strategy (scored only)' : forecast.usedBy.join(', ');
  return `Model ${forecast.model}, bid on by ${users}; ${forecast.homes} homes, learned from ${forecast.historyHours} h of pre-period, ${forecast.scoredHours} horizon hours scored. Load = consumption (net + PV); MAPE only for the aggregate, nMAE = MAE / mean per home and for PV.`;
}

/**
 * How much of the homes' errors cancel in the aggregate (what an aggregator forecasting its portfolio
 * gains): the aggregate's day-ahead MAE over the sum of the homes' MAEs.
 */
export function diversityLine(forecast: ForecastEvaluation): string | null {
  const dayAhead = forecast.models.find((model) => model.model === forecast.model)?.dayAhead;
  if (dayAhead === undefined) return null;
  const homesMaeKwh = dayAhead.homeLoad.maeKwh * forecast.homes;
  if (!(homesMaeKwh > 0)) return null;
  const share = (100 * dayAhead.aggregateLoad.maeKwh) / homesMaeKwh;
  return `Errors cancel across homes: the aggregate's day-ahead MAE is ${formatNumber(share, 0)}% of the sum of the homes' MAEs (${formatNumber(dayAhead.aggregateLoad.maeKwh, 2)} vs ${formatNumber(homesMaeKwh, 2)} kWh).`;
}

function textLines(forecast: ForecastEvaluation, currency: string): string[] {
  const table = [HEADINGS, ...rows(forecast)];
  const widths = HEADINGS.map((_, c) => Math.max(...table.map((row) => (row[c] ?? '').length)));
  const format = (row: string[]) =>
    row.map((cell, c) => (c < 2 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [
    summary(forecast),
    '',
    ...table.map(format),
    ...(diversityLine(forecast) === null ? [] : [diversityLine(forecast) ?? '']),
    '',
    ...costLines(forecast, currency),
    ...forecast.notes,
  ];
}

function html(forecast: ForecastEvaluation, currency: string): string {
  const head = HEADINGS.map((heading) => `<th>${escapeHtml(heading)}</th>`).join('');
  const body = rows(forecast)
    .map(
      (row) =>
        `<tr>${row.map((cell, c) => `<td${c >= 2 ? ' class="num"' : ''}>${escapeHtml(cell)}</td>`).join('')}</tr>`,
    )
    .join('');
  const list = (lines: string[]) =>
    `<ul>${lines.map((line) => `<li>${escapeHtml(line.trim())}</li>`).join('')}</ul>`;
  return [
    `<p>${escapeHtml(summary(forecast))}</p>`,
    `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`,
    diversityLine(forecast) === null ? '' : `<p>${escapeHtml(diversityLine(forecast) ?? '')}</p>`,
    list(costLines(forecast, currency)),
    list([...forecast.notes]),
  ].join('');
}

const safe = (value: number): number | null => (Number.isFinite(value) ? value : null);

function errorJson(scores: ErrorScores) {
  return {
    maeKwh: safe(scores.maeKwh),
    rmseKwh: safe(scores.rmseKwh),
    mapePercent: safe(scores.mapePercent),
    nmaePercent: safe(scores.nmaePercent),
    count: scores.count,
  };
}

function scoresJson(scores: ForecastScores) {
  return {
    aggregateLoad: errorJson(scores.aggregateLoad),
    homeLoad: errorJson(scores.homeLoad),
    homePv: errorJson(scores.homePv),
  };
}

function outcomeJson(outcome: ForecastRunOutcome) {
  return {
    totalCost: safe(outcome.totalCost),
    imbalanceKwh: safe(outcome.imbalanceKwh),
    peakSubstationDemandKw: safe(outcome.peakSubstationDemandKw),
  };
}

export function forecastJson(forecast: ForecastEvaluation): unknown {
  return {
    model: forecast.model,
    usedBy: [...forecast.usedBy],
    homes: forecast.homes,
    historyHours: forecast.historyHours,
    scoredHours: forecast.scoredHours,
    models: forecast.models.map((model: ModelScores) => ({
      model: model.model,
      dayAhead: scoresJson(model.dayAhead),
      byHorizon: model.byHorizon.map((scores) => ({ aheadHours: scores.aheadHours, ...scoresJson(scores) })),
    })),
    costOfError:
      forecast.costOfError === null
        ? null
        : {
            extraCost: safe(forecast.costOfError.extraCost),
            withModel: outcomeJson(forecast.costOfError.withModel),
            withPerfectForecasts: outcomeJson(forecast.costOfError.withPerfectForecasts),
          },
    costOfErrorNote: forecast.costOfErrorNote,
    notes: [...forecast.notes],
  };
}

export function forecastSection(result: SimulationResult): ReportSection | null {
  const forecast = result.evaluation?.forecast;
  if (forecast === undefined) return null;
  const currency = result.meta.currency;
  return {
    id: 'forecasts',
    title: 'Forecasts: error per hour ahead and its cost',
    role: 'aggregator',
    text: () => textLines(forecast, currency),
    html: () => html(forecast, currency),
    json: () => forecastJson(forecast),
  };
}
