/** A tiny CSV reader for the feeder tables: header row, comma-separated cells, coded errors with file:line. */
import { TeError } from '../../core/errors.js';

export interface CsvRow {
  readonly file: string;
  readonly line: number;
  readonly cells: ReadonlyMap<string, string>;
}

export function parseCsvTable(file: string, text: string, required: readonly string[]): CsvRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const headerIndex = lines.findIndex((l) => l.trim() !== '');
  if (headerIndex < 0) {
    throw new TeError('TE_ERR_FEEDER_FORMAT', 'the file is empty', {
      path: file,
      hint: `give a header row: ${required.join(',')}`,
    });
  }
  const header = lines[headerIndex]!.split(',').map((h) => h.trim().toLowerCase());
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0) {
    throw new TeError('TE_ERR_FEEDER_FORMAT', `the header lacks column(s) ${missing.join(', ')}`, {
      path: `${file}:${headerIndex + 1}`,
      hint: `the header should be ${required.join(',')}`,
    });
  }
  const rows: CsvRow[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const raw = lines[i]!.trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const values = raw.split(',').map((v) => v.trim());
    if (values.length !== header.length) {
      throw new TeError('TE_ERR_FEEDER_FORMAT', `expected ${header.length} cells, found ${values.length}`, {
        path: `${file}:${i + 1}`,
        hint: `the columns are ${header.join(',')}`,
      });
    }
    rows.push({ file, line: i + 1, cells: new Map(header.map((h, k) => [h, values[k]!])) });
  }
  return rows;
}

export function text(row: CsvRow, column: string): string {
  const value = row.cells.get(column) ?? '';
  if (value === '') throw rowError(row, `column ${column} is empty`, `give a value for ${column}`);
  return value;
}

export function number(row: CsvRow, column: string, options: { allowEmpty?: boolean } = {}): number {
  const raw = row.cells.get(column) ?? '';
  if (raw === '' && options.allowEmpty === true) return 0;
  const value = Number(raw);
  if (raw === '' || !Number.isFinite(value)) {
    throw rowError(row, `column ${column} is not a number: '${raw}'`, 'write a finite decimal number');
  }
  return value;
}

export function rowError(row: CsvRow, message: string, hint?: string): TeError {
  return new TeError('TE_ERR_FEEDER_FORMAT', message, {
    path: `${row.file}:${row.line}`,
    ...(hint === undefined ? {} : { hint }),
  });
}
