/** The report section of result.evaluation.measurement (null when absent): terminal text, HTML, JSON. */
import { toIsoWithOffset } from '../../core/time.js';
import { escapeHtml } from '../report/html-escape.js';
import { formatNumber, formatSigned } from '../report/number-format.js';
import type { ReportSection } from '../report/report-section.js';
import type { SimulationResult } from '../results.js';
import type { BaselineAccuracy } from './measurement-accuracy.js';
import { customerDeliveredDistribution, measurementJson } from './measurement-json.js';
import type { EventMeasurement, MeasurementAndVerification, MethodMeasurement } from './measurement.js';

const METHOD_LABELS: Record<MethodMeasurement['method'], string> = {
  counterfactual: 'Counterfactual (no market)',
  'caiso-10-in-10': 'CAISO 10-in-10',
  'weather-regression': 'Weather regression',
};

function accuracyText(accuracy: BaselineAccuracy | undefined): string {
  if (accuracy === undefined) return 'the truth a simulation knows';
  const customers = accuracy.customerErrorPercent;
  const spread =
    customers === null
      ? 'no customer comparable'
      : `customers p10/median/p90 ${formatSigned(customers.p10, 0)}/${formatSigned(customers.median, 0)}/${formatSigned(customers.p90, 0)}% (${accuracy.customersCompared})`;
  return `bias ${formatSigned(accuracy.aggregateBiasPercent, 1)}%, hourly abs. error ${formatNumber(accuracy.aggregateAbsoluteErrorPercent, 1)}%, ${spread}`;
}

function eventLine(event: EventMeasurement): string {
  const customers = customerDeliveredDistribution(event);
  const spread =
    customers === null
      ? ''
      : `, per customer p10/median/p90 ${formatNumber(customers.p10, 2)}/${formatNumber(customers.median, 2)}/${formatNumber(customers.p90, 2)} kWh`;
  const aggregate =
    event.aggregateMeterBaselineKwh === undefined
      ? ''
      : ` (adjusted on the aggregate meter: ${formatNumber(event.aggregateMeterBaselineKwh, 1)} kWh)`;
  return `baseline ${formatNumber(event.baselineKwh, 1)} kWh${aggregate}, delivered ${formatSigned(event.deliveredKwh, 1)} kWh (${formatSigned(event.deliveredMeanKw, 1)} kW mean)${spread}`;
}

function windowLabel(measurement: MeasurementAndVerification, i: number, offsetMinutes: number): string {
  const window = measurement.windows[i];
  if (window === undefined) return '';
  const start = toIsoWithOffset(window.startMs, offsetMinutes);
  const end = toIsoWithOffset(window.endMs, offsetMinutes);
  return `${start} to ${end} (${window.source === 'event' ? 'event' : 'daily peak window'})`;
}

function meteredKwh(measurement: MeasurementAndVerification, i: number): number | undefined {
  for (const method of measurement.methods) {
    const event = method.available ? method.events[i] : undefined;
    if (event !== undefined && !('unavailable' in event)) return event.meteredKwh;
  }
  return undefined;
}

function windowCount(measurement: MeasurementAndVerification): string {
  const n = measurement.windows.length;
  return `${n} evaluated window${n === 1 ? '' : 's'}`;
}

function textLines(measurement: MeasurementAndVerification, offsetMinutes: number): string[] {
  const lines = [
    `${windowCount(measurement)}, ${measurement.premises} customers, pre-period ${measurement.historyDays} days. Delivered flexibility = baseline - metered.`,
  ];
  for (const method of measurement.methods) {
    const label = METHOD_LABELS[method.method].padEnd(27);
    lines.push(
      method.available
        ? `${label} delivered ${formatSigned(method.deliveredKwh, 1)} kWh over ${method.eventsCovered}/${measurement.windows.length} windows; ${accuracyText(method.accuracy)}`
        : `${label} unavailable: ${method.reason}`,
    );
    if (method.available) for (const note of method.notes) lines.push(`${' '.repeat(27)} ${note}`);
  }
  measurement.windows.forEach((_window, i) => {
    lines.push(
      '',
      `${windowLabel(measurement, i, offsetMinutes)}: metered ${formatNumber(meteredKwh(measurement, i) ?? Number.NaN, 1)} kWh`,
    );
    for (const method of measurement.methods) {
      if (!method.available) continue;
      const event = method.events[i];
      if (event === undefined) continue;
      const label = `  ${METHOD_LABELS[method.method].padEnd(27)}`;
      if ('unavailable' in event) {
        lines.push(`${label}unavailable: ${event.unavailable}`);
        continue;
      }
      lines.push(`${label}${eventLine(event)}`);
      for (const note of event.notes) lines.push(`  ${' '.repeat(27)}${note}`);
    }
  });
  return lines;
}

function html(measurement: MeasurementAndVerification, offsetMinutes: number): string {
  const cell = (text: string, numeric = false) =>
    `<td${numeric ? ' class="num"' : ''}>${escapeHtml(text)}</td>`;
  const summary = measurement.methods
    .map((method) =>
      method.available
        ? `<tr>${cell(METHOD_LABELS[method.method])}${cell(formatSigned(method.deliveredKwh, 1), true)}${cell(`${method.eventsCovered}/${measurement.windows.length}`, true)}${cell(accuracyText(method.accuracy))}</tr>`
        : `<tr>${cell(METHOD_LABELS[method.method])}<td colspan="3">${escapeHtml(`unavailable: ${method.reason}`)}</td></tr>`,
    )
    .join('');
  const notes = measurement.methods
    .flatMap((method) =>
      method.available ? method.notes.map((note) => `${METHOD_LABELS[method.method]}: ${note}`) : [],
    )
    .map((note) => `<li>${escapeHtml(note)}</li>`)
    .join('');
  const events = measurement.windows
    .map((_window, i) => {
      const rows = measurement.methods
        .flatMap((method) => {
          const event = method.available ? method.events[i] : undefined;
          if (event === undefined) return [];
          if ('unavailable' in event) {
            return [
              `<tr>${cell(METHOD_LABELS[method.method])}<td colspan="4">${escapeHtml(`unavailable: ${event.unavailable}`)}</td></tr>`,
            ];
          }
          const customers = customerDeliveredDistribution(event);
          const spread =
            customers === null
              ? '—'
              : `${formatNumber(customers.p10, 2)} / ${formatNumber(customers.median, 2)} / ${formatNumber(customers.p90, 2)}`;
          return [
            `<tr>${cell(METHOD_LABELS[method.method])}${cell(formatNumber(event.baselineKwh, 1), true)}${cell(formatSigned(event.deliveredKwh, 1), true)}${cell(formatSigned(event.deliveredMeanKw, 1), true)}${cell(spread, true)}</tr>`,
          ];
        })
        .join('');
      const eventNotes = measurement.methods
        .flatMap((method) => {
          const event = method.available ? method.events[i] : undefined;
          return event === undefined || 'unavailable' in event
            ? []
            : event.notes.map((note) => `${METHOD_LABELS[method.method]}: ${note}`);
        })
        .map((note) => `<li>${escapeHtml(note)}</li>`)
        .join('');
      return `<h4>${escapeHtml(windowLabel(measurement, i, offsetMinutes))}: metered ${escapeHtml(formatNumber(meteredKwh(measurement, i) ?? Number.NaN, 1))} kWh</h4><table><thead><tr><th>Baseline</th><th>Baseline kWh</th><th>Delivered kWh</th><th>Mean kW</th><th>Per customer p10 / median / p90, kWh</th></tr></thead><tbody>${rows}</tbody></table>${eventNotes === '' ? '' : `<ul>${eventNotes}</ul>`}`;
    })
    .join('');
  return [
    `<p>${escapeHtml(`${windowCount(measurement)}, ${measurement.premises} customers, pre-period ${measurement.historyDays} days. Delivered flexibility = baseline − metered; each field baseline is scored against the counterfactual, which only a simulation knows.`)}</p>`,
    `<table><thead><tr><th>Baseline</th><th>Delivered kWh</th><th>Windows</th><th>Accuracy against the counterfactual</th></tr></thead><tbody>${summary}</tbody></table>`,
    notes === '' ? '' : `<ul>${notes}</ul>`,
    events,
  ].join('');
}

export function measurementSection(result: SimulationResult): ReportSection | null {
  const measurement = result.evaluation?.measurement;
  if (measurement === undefined) return null;
  const offsetMinutes = result.meta.utcOffsetMinutes;
  return {
    id: 'measurement-and-verification',
    title: 'Measurement and verification: baselines and delivered flexibility',
    role: 'utility',
    text: () => textLines(measurement, offsetMinutes),
    html: () => html(measurement, offsetMinutes),
    json: () => measurementJson(measurement, offsetMinutes),
  };
}
