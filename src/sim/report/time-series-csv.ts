/**
 * The time series of both runs as CSV (RFC 4180: CRLF line ends, fields quoted only when they hold a
 * comma, quote or line break). Column names carry their units; TE and baseline columns of the same
 * quantity sit side by side so a spreadsheet user can compare them at a glance.
 */
import { toIsoWithOffset } from '../../core/time.js';
import type { GridRunSeries, SimulationResult, SimulationRunSeries } from '../results.js';
import { hasGridResults } from './grid-kpi-rows.js';

const LINE_END = '\r\n';
const RUNS = ['te', 'baseline'] as const;

interface Column {
  readonly name: string;
  readonly cell: (slot: number) => string;
}

/** Yields the header and then one line per slot, each ending in CRLF; nothing is held per row. */
export function* timeSeriesCsvLines(result: SimulationResult): Generator<string, void, undefined> {
  const columns = csvColumns(result);
  yield ['time', ...columns.map((column) => column.name)].map(csvField).join(',') + LINE_END;
  const offsetMinutes = result.meta.utcOffsetMinutes;
  for (let slot = 0; slot < result.slotStartMs.length; slot++) {
    let line = toIsoWithOffset(result.slotStartMs[slot] ?? Number.NaN, offsetMinutes);
    for (const column of columns) line += ',' + column.cell(slot);
    yield line + LINE_END;
  }
}

export function timeSeriesCsv(result: SimulationResult): string {
  // V8 concatenates strings as ropes, so appending is linear and avoids an array of every line.
  let csv = '';
  for (const line of timeSeriesCsvLines(result)) csv += line;
  return csv;
}

/** Every column after `time`, in output order; the time column is written inline for speed. */
function csvColumns(result: SimulationResult): Column[] {
  const perRun = (
    name: string,
    pick: (series: SimulationRunSeries) => ArrayLike<number> | undefined,
  ): Column[] =>
    RUNS.map((run) => {
      const values = pick(result[run].series);
      return { name: `${run}_${name}`, cell: (slot) => numberField(values?.[slot]) };
    });
  const kinds = deviceKinds(result);
  return [
    ...perRun('substation_load_kw', (s) => s.substationLoadKw),
    ...perRun('clearing_price_per_kwh', (s) => s.clearingPricePerKwh),
    ...perRun('cleared_quantity_kw', (s) => s.clearedQuantityKw),
    ...RUNS.map((run): Column => {
      const types = result[run].series.clearingType;
      return { name: `${run}_clearing_type`, cell: (slot) => csvField(types[slot] ?? '') };
    }),
    ...perRun('indoor_temp_mean_f', (s) => s.indoorTempMeanF),
    ...perRun('indoor_temp_min_f', (s) => s.indoorTempMinF),
    ...perRun('indoor_temp_max_f', (s) => s.indoorTempMaxF),
    ...kinds.flatMap((kind, index) =>
      perRun(`load_${columnSafe(kind, index, kinds)}_kw`, (s) => s.loadByKindKw[kind]),
    ),
    ...gridColumns(result),
  ];
}

/** Feeder columns, only when the scenario names a feeder; a run without feeder results is blank. */
function gridColumns(result: SimulationResult): Column[] {
  if (!hasGridResults(result)) return [];
  const perRun = (name: string, pick: (series: GridRunSeries) => ArrayLike<number>): Column[] =>
    RUNS.map((run) => {
      const series = result[run].grid?.series;
      const values = series === undefined ? undefined : pick(series);
      return { name: `${run}_${name}`, cell: (slot) => numberField(values?.[slot]) };
    });
  return [
    ...perRun('min_voltage_pu', (s) => s.minVoltagePu),
    ...perRun('max_voltage_pu', (s) => s.maxVoltagePu),
    ...perRun('losses_kw', (s) => s.lossesKw),
  ];
}

/** Device kinds of either run, TE's order first. */
export function deviceKinds(result: SimulationResult): string[] {
  const kinds = new Set(Object.keys(result.te.series.loadByKindKw));
  for (const kind of Object.keys(result.baseline.series.loadByKindKw)) kinds.add(kind);
  return [...kinds];
}

/**
 * Kinds come from scenario files; keep column names snake_case identifiers that tools accept, and
 * suffix the position when two kinds would collapse to the same name ("EV" and "ev").
 */
function columnSafe(kind: string, index: number, kinds: readonly string[]): string {
  const snake = (name: string): string =>
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'unnamed';
  const safe = snake(kind);
  const clashes = kinds.some((other, otherIndex) => otherIndex !== index && snake(other) === safe);
  return clashes ? `${safe}_${index + 1}` : safe;
}

/**
 * An empty field stands for a missing or non-finite value (spreadsheets read it as blank). Twelve
 * significant digits keep every meaningful digit but drop float noise such as 0.30000000000000004.
 */
function numberField(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '';
  const rounded = Number(value.toPrecision(12));
  return Object.is(rounded, -0) ? '0' : String(rounded);
}

export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
