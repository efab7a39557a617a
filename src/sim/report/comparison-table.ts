/** The design comparison as a terminal table: KPI | unit | one column per design | baseline. */
import type { ComparisonResult } from '../results.js';
import { COMPARISON_TABLE_NOTE, comparisonRows, formatComparisonRow } from './comparison-rows.js';

export interface ComparisonTableOptions {
  /** ANSI colours: bold header, best values green. Off for pipes, files and NO_COLOR. */
  readonly color: boolean;
}

const ANSI_RESET = '\u001b[0m';
const ANSI_BOLD = '\u001b[1m';
const ANSI_BEST = '\u001b[1;32m';
const ANSI_DIM = '\u001b[2m';
/** After a best value, so the mark survives without colour (pipes, NO_COLOR, screen readers). */
const BEST_MARK = ' *';
const NO_MARK = '  ';
const COLUMN_GAP = '  ';

export function formatComparisonTable(comparison: ComparisonResult, options: ComparisonTableOptions): string {
  const rows = comparisonRows(comparison).map(formatComparisonRow);
  const header = [
    'KPI',
    'unit',
    ...comparison.designs.map((design) => printable(design.label) + NO_MARK),
    'baseline',
  ];
  const cells = rows.map((row) => [
    row.label,
    row.unit,
    ...row.values.map((value, index) => value + (row.best[index] === true ? BEST_MARK : NO_MARK)),
    row.baseline,
  ]);
  const widths = header.map((title, column) =>
    Math.max(displayWidth(title), ...cells.map((line) => displayWidth(line[column] ?? ''))),
  );
  const pad = (text: string, column: number): string => {
    const fill = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(text)));
    return column < 2 ? text + fill : fill + text;
  };
  const paint = (text: string, ansi: string): string =>
    options.color ? `${ansi}${text}${ANSI_RESET}` : text;

  const lines = [
    paint(header.map(pad).join(COLUMN_GAP).trimEnd(), ANSI_BOLD),
    widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP),
    ...rows.map((row, rowIndex) =>
      (cells[rowIndex] ?? [])
        .map((text, column) => {
          const padded = pad(text, column);
          const isBest = column >= 2 && row.best[column - 2] === true;
          return isBest ? paint(padded, ANSI_BEST) : padded;
        })
        .join(COLUMN_GAP)
        .trimEnd(),
    ),
    options.color ? paint(`* ${COMPARISON_TABLE_NOTE}`, ANSI_DIM) : `* ${COMPARISON_TABLE_NOTE}`,
  ];
  return lines.join('\n') + '\n';
}

/** Design labels come from the command line or a file: control characters would drive the terminal. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}

/** Column width as a terminal shows it: combining marks take no cell. */
function displayWidth(text: string): number {
  return [...text.normalize('NFC').replace(/\p{M}/gu, '')].length;
}
