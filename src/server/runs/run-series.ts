/**
 * A run's timeseries.csv (sim/report/time-series-csv.ts) read back as columns for a chart: `time` (ISO
 * 8601 with offset) becomes `timeMs`, every other column keeps its header name. A column whose filled
 * cells are all numbers is numbers (a blank cell, the writer's missing or non-finite value, is null);
 * any other column (the clearing types) is text. Long runs are thinned to at most `maxPoints` rows by
 * taking every `stride`-th row from the first, so a year of five-minute slots still answers small.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';

export type SeriesColumn = (number | null)[] | (string | null)[];

export interface RunSeries {
  readonly columns: Record<string, SeriesColumn>;
  /** Data rows in the file. */
  readonly rows: number;
  /** Every `stride`-th row was kept (1: all). */
  readonly stride: number;
}

export function parseRunSeries(text: string, maxPoints: number): Result<RunSeries, TeError> {
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const header = lines.length === 0 ? [] : splitCsvLine(lines[0] as string);
  if (header[0] !== 'time') return err(malformed('its first column is not "time"', 1));
  const rows = lines.length - 1;
  const stride = Math.max(1, Math.ceil(rows / maxPoints));
  const cells: string[][] = header.map(() => []);
  for (let line = 1; line < lines.length; line += stride) {
    const fields = splitCsvLine(lines[line] as string);
    if (fields.length !== header.length) {
      return err(malformed(`row ${line} has ${fields.length} fields, the header ${header.length}`, line + 1));
    }
    fields.forEach((field, k) => (cells[k] as string[]).push(field));
  }
  const timeMs: number[] = [];
  for (const [k, iso] of (cells[0] as string[]).entries()) {
    const ms = Date.parse(iso);
    if (!Number.isFinite(ms)) return err(malformed(`'${iso.slice(0, 40)}' is not a time`, 2 + k * stride));
    timeMs.push(ms);
  }
  const columns: Record<string, SeriesColumn> = { timeMs };
  header.slice(1).forEach((name, k) => {
    if (name === 'timeMs' || name === '__proto__') return;
    columns[name] = toColumn(cells[k + 1] as string[]);
  });
  return ok({ columns, rows, stride });
}

function toColumn(fields: readonly string[]): SeriesColumn {
  const numbers = fields.map((f) => (f === '' ? null : Number(f)));
  if (numbers.every((n) => n === null || Number.isFinite(n))) return numbers;
  return fields.map((f) => (f === '' ? null : f));
}

/** RFC 4180 fields of one line (the writer quotes only fields holding a comma, quote or line break). */
function splitCsvLine(line: string): string[] {
  if (!line.includes('"')) return line.split(',');
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i] as string;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

function malformed(message: string, line: number): TeError {
  return new TeError('TE_ERR_RUN_MALFORMED', `timeseries.csv: ${message}`, {
    path: `timeseries.csv:${line}`,
    hint: 'write the run again with tenet simulate',
  });
}
