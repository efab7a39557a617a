/** The KPI comparison as a terminal table: KPI | unit | TE | baseline | change. */
import type { SimulationResult } from '../results.js';
import { formatKpiRow, kpiRows, type FormattedKpiRow, type KpiVerdict } from './kpi-rows.js';

export interface KpiTableOptions {
  /** ANSI colours: bold header, green/red changes. Off for pipes, files and NO_COLOR. */
  readonly color: boolean;
}

const ANSI_RESET = '\u001b[0m';
const ANSI_BOLD = '\u001b[1m';
const VERDICT_ANSI: Readonly<Record<KpiVerdict, string>> = {
  better: '\u001b[32m',
  worse: '\u001b[31m',
  same: '\u001b[2m',
  neutral: '',
  unknown: '\u001b[2m',
};

const HEADER = ['KPI', 'unit', 'TE', 'baseline', 'change'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true] as const;
const COLUMN_GAP = '  ';

export function formatKpiTable(result: SimulationResult, options: KpiTableOptions): string {
  const rows = kpiRows(result).map(formatKpiRow);
  const cells = rows.map((row) => [row.label, row.unit, row.te, row.baseline, row.change]);
  const widths = HEADER.map((title, column) =>
    Math.max(displayWidth(title), ...cells.map((line) => displayWidth(line[column] ?? ''))),
  );
  const pad = (text: string, column: number): string => {
    const fill = ' '.repeat((widths[column] ?? 0) - displayWidth(text));
    return RIGHT_ALIGNED[column] ? fill + text : text + fill;
  };
  const paint = (text: string, ansi: string): string =>
    options.color && ansi !== '' ? `${ansi}${text}${ANSI_RESET}` : text;

  const header = paint(HEADER.map(pad).join(COLUMN_GAP).trimEnd(), ANSI_BOLD);
  const rule = widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP);
  const body = rows.map((row, index) => formatLine(row, cells[index] ?? [], pad, paint));
  return [header, rule, ...body].join('\n') + '\n';
}

function formatLine(
  row: FormattedKpiRow,
  cells: readonly string[],
  pad: (text: string, column: number) => string,
  paint: (text: string, ansi: string) => string,
): string {
  const padded = cells.map(pad);
  const changeColumn = padded.length - 1;
  padded[changeColumn] = paint(padded[changeColumn] ?? '', VERDICT_ANSI[row.verdict]);
  return padded.join(COLUMN_GAP).trimEnd();
}

/** Column width as a terminal shows it: combining marks take no cell (scenario names may carry them). */
function displayWidth(text: string): number {
  return [...text.normalize('NFC').replace(/\p{M}/gu, '')].length;
}
