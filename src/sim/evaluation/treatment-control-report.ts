/** The report section of result.evaluation.treatmentControl (null when the scenario has no control group). */
import { escapeHtml } from '../report/html-escape.js';
import { jsonNumber } from '../report/json-number.js';
import { formatNumber } from '../report/number-format.js';
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';
import type {
  CovariateBalance,
  EffectEstimate,
  EstimateMethod,
  OutcomeComparison,
  TreatmentControlComparison,
} from './treatment-control.js';

const METHOD_LABELS: Readonly<Record<EstimateMethod, string>> = {
  'difference-in-means': 'difference in means',
  'difference-in-differences-pre-period': 'difference in differences vs pre-period',
  'difference-in-differences-counterfactual': 'difference in differences vs simulated counterfactual',
};

const COVARIATE_LABELS: Readonly<Record<string, string>> = {
  'baseline-peak-window-demand': 'peak-window demand without the market',
  'pre-period-peak-window-demand': 'peak-window demand in the pre-period',
  'baseline-bill': 'bill without the market',
  'pv-ownership': 'owns PV',
  'battery-ownership': 'owns a battery',
  'ev-ownership': 'owns an EV',
};

/** One row of an outcome's estimate table, already signed the way the outcome is read. */
interface EstimateRow {
  readonly headline: boolean;
  readonly method: string;
  readonly cells: readonly string[];
}

interface OutcomeView {
  readonly title: string;
  readonly quantity: string;
  readonly means: string;
  readonly rows: readonly EstimateRow[];
  readonly unavailable?: string;
}

const range = (low: number, high: number, decimals: number) =>
  `${formatNumber(low, decimals)} .. ${formatNumber(high, decimals)}`;

function estimateRow(
  estimate: EffectEstimate,
  headline: EffectEstimate,
  sign: 1 | -1,
  decimals: number,
): EstimateRow {
  const value = sign * estimate.effect;
  const [low, high] = [sign * estimate.low, sign * estimate.high].sort((a, b) => a - b) as [number, number];
  const [bootLow, bootHigh] = [sign * estimate.bootstrapLow, sign * estimate.bootstrapHigh].sort(
    (a, b) => a - b,
  ) as [number, number];
  return {
    headline: estimate === headline,
    method: METHOD_LABELS[estimate.method],
    cells: [
      formatNumber(value, decimals),
      `${formatNumber((100 * value) / estimate.referenceMean, 1)}%`,
      range(low, high, decimals),
      range(bootLow, bootHigh, decimals),
      formatNumber(estimate.minimumDetectableEffect, decimals),
    ],
  };
}

function outcomeView(
  title: string,
  quantity: string,
  outcome: OutcomeComparison | { readonly unavailable: string },
  sign: 1 | -1,
  decimals: number,
): OutcomeView {
  if ('unavailable' in outcome)
    return { title, quantity, means: '', rows: [], unavailable: outcome.unavailable };
  return {
    title,
    quantity,
    means: `means in the market run: treatment ${formatNumber(outcome.treatmentMean, decimals)}, control ${formatNumber(outcome.controlMean, decimals)}`,
    rows: outcome.estimates.map((estimate) => estimateRow(estimate, outcome.headline, sign, decimals)),
  };
}

function views(comparison: Extract<TreatmentControlComparison, { status: 'compared' }>, currency: string) {
  const { startHour, endHour, hours } = comparison.peakWindow;
  return [
    outcomeView(
      `Peak-window demand, ${startHour}:00–${endHour}:00 local (${hours} h in the horizon), kW per home`,
      'reduction',
      comparison.peakDemand,
      -1,
      3,
    ),
    outcomeView(`Bill over the horizon, ${currency} per home`, 'change', comparison.bill, 1, 2),
  ];
}

function headerCells(quantity: string, confidence: number): string[] {
  const level = `${formatNumber(confidence * 100, 0)}%`;
  return ['estimate', quantity, '%', `${level} interval (Welch)`, `${level} bootstrap`, 'MDE (80% power)'];
}

function balanceCells(row: CovariateBalance, currency: string): string[] {
  const share = row.unit === 'share';
  const decimals = share ? 1 : row.unit === 'kW' ? 3 : 2;
  const show = (value: number) =>
    share ? `${formatNumber(100 * value, 1)}%` : formatNumber(value, decimals);
  const unit = share ? '' : ` (${row.unit.replace('{currency}', currency)})`;
  return [
    `${COVARIATE_LABELS[row.covariate] ?? row.covariate}${unit}`,
    show(row.treatmentMean),
    show(row.controlMean),
    formatNumber(row.standardizedDifference, 2),
  ];
}

function intro(comparison: TreatmentControlComparison, seed: number): string {
  return `Homes assigned at random from seed ${seed} (stratified by PV, battery and EV ownership): ${comparison.treatmentHomes} on the market, ${comparison.controlHomes} kept on the fixed tariff and plain control.`;
}

const HEADLINE_NOTE =
  'Headline (*): the difference in differences against each home’s pre-period when the scenario simulates one, otherwise the difference in means; the counterfactual row uses what only a simulation knows (the same homes without the market) and checks the others.';

/** Columns padded to their widest cell, the first left-aligned, the others right-aligned. */
function textTable(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

function text(comparison: TreatmentControlComparison, result: SimulationResult): string[] {
  if (comparison.status === 'unavailable') return [`Unavailable: ${comparison.reason}.`];
  const lines = [intro(comparison, result.meta.seed), HEADLINE_NOTE];
  for (const view of views(comparison, result.meta.currency)) {
    lines.push('', view.title);
    if (view.unavailable !== undefined) {
      lines.push(`  unavailable: ${view.unavailable}`);
      continue;
    }
    lines.push(`  ${view.means}`);
    const rows = [
      headerCells(view.quantity, comparison.confidence),
      ...view.rows.map((row) => [`${row.headline ? '* ' : '  '}${row.method}`, ...row.cells]),
    ];
    lines.push(...textTable(rows).map((line) => `  ${line}`));
  }
  lines.push('', 'Balance of pre-treatment covariates (standardised difference |d| < 0.1 is balanced)');
  const balance = [
    ['covariate', 'treatment', 'control', 'd'],
    ...comparison.balance.map((row) => balanceCells(row, result.meta.currency)),
  ];
  lines.push(...textTable(balance).map((line) => `  ${line}`));
  return lines;
}

function htmlTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  bold: readonly boolean[] = [],
) {
  const cell = (tag: 'th' | 'td', value: string, c: number) =>
    `<${tag}${c === 0 ? '' : ' class="num"'}>${escapeHtml(value)}</${tag}>`;
  return [
    '<table class="kpi">',
    `<tr>${header.map((value, c) => cell('th', value, c)).join('')}</tr>`,
    ...rows.map(
      (row, r) =>
        `<tr${bold[r] === true ? ' style="font-weight:600"' : ''}>${row.map((value, c) => cell('td', value, c)).join('')}</tr>`,
    ),
    '</table>',
  ].join('\n');
}

function html(comparison: TreatmentControlComparison, result: SimulationResult): string {
  if (comparison.status === 'unavailable') return `<p>Unavailable: ${escapeHtml(comparison.reason)}.</p>`;
  const parts = [
    `<p>${escapeHtml(intro(comparison, result.meta.seed))}</p>`,
    `<p>${escapeHtml(HEADLINE_NOTE)}</p>`,
  ];
  for (const view of views(comparison, result.meta.currency)) {
    parts.push(`<h4>${escapeHtml(view.title)}</h4>`);
    if (view.unavailable !== undefined) {
      parts.push(`<p>Unavailable: ${escapeHtml(view.unavailable)}.</p>`);
      continue;
    }
    parts.push(`<p>${escapeHtml(view.means)}</p>`);
    parts.push(
      htmlTable(
        headerCells(view.quantity, comparison.confidence),
        view.rows.map((row) => [`${row.headline ? '* ' : ''}${row.method}`, ...row.cells]),
        view.rows.map((row) => row.headline),
      ),
    );
  }
  parts.push('<h4>Balance of pre-treatment covariates</h4>');
  parts.push(
    htmlTable(
      ['covariate', 'treatment', 'control', 'standardised difference'],
      comparison.balance.map((row) => balanceCells(row, result.meta.currency)),
    ),
  );
  return parts.join('\n');
}

/** The comparison with every number JSON-safe (NaN and infinities as null). */
function jsonSafe(value: unknown): unknown {
  if (typeof value === 'number') return jsonNumber(value);
  if (Array.isArray(value)) return value.map(jsonSafe);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, jsonSafe(inner)]));
  }
  return value;
}

export function treatmentControlSection(result: SimulationResult): ReportSection | null {
  const comparison = result.evaluation?.treatmentControl;
  if (comparison === undefined) return null;
  return {
    id: 'treatment-control',
    title: 'Treatment vs control',
    role: 'regulator',
    text: () => text(comparison, result),
    html: () => html(comparison, result),
    json: () => jsonSafe(comparison),
  };
}
