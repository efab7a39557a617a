/**
 * The design comparison as a terminal table, grouped by role (key metrics first):
 * KPI | unit | one column per design | baseline | also for.
 */
import type { ComparisonResult } from '../results.js';
import {
  COMPARISON_TABLE_NOTE,
  comparisonGroups,
  formatComparisonRow,
  type ComparisonItem,
} from './comparison-rows.js';
import { formatRoles } from './kpi-groups.js';
import { displayWidth } from './text-width.js';

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
const INDENT = '  ';

interface Line {
  readonly cells: readonly string[];
  readonly best: readonly boolean[];
  /** One text across the design and baseline columns: the reason no design has an estimate. */
  readonly span?: string;
}

/** A design without an estimate shows this beside designs with one; the reasons are in comparison.json. */
const UNAVAILABLE = 'unavailable';

export function formatComparisonTable(comparison: ComparisonResult, options: ComparisonTableOptions): string {
  const designCount = comparison.designs.length;
  const groups = comparisonGroups(comparison).map((group) => ({
    title: group.title,
    lines: group.items.map((item) => lineOf(item)),
  }));
  const header = [
    'KPI',
    'unit',
    ...comparison.designs.map((design) => printable(design.label) + NO_MARK),
    'baseline',
    'also for',
  ];
  const lines = groups.flatMap((group) => group.lines);
  const widths = header.map((title, column) =>
    Math.max(displayWidth(title), ...lines.map((line) => displayWidth(line.cells[column] ?? ''))),
  );
  const lastValueColumn = designCount + 2;
  const pad = (text: string, column: number): string => {
    const fill = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(text)));
    return column < 2 || column > lastValueColumn ? text + fill : fill + text;
  };
  const paint = (text: string, ansi: string): string =>
    options.color ? `${ansi}${text}${ANSI_RESET}` : text;

  const body = groups.flatMap((group) => [
    paint(group.title, ANSI_BOLD),
    ...group.lines.map((line) =>
      line.span !== undefined
        ? spanLine(line, widths, pad)
        : INDENT +
          line.cells
            .map((text, column) => {
              const padded = pad(text, column);
              const isBest = column >= 2 && line.best[column - 2] === true;
              return isBest ? paint(padded, ANSI_BEST) : padded;
            })
            .join(COLUMN_GAP)
            .trimEnd(),
    ),
  ]);
  const output = [
    paint((INDENT + header.map(pad).join(COLUMN_GAP)).trimEnd(), ANSI_BOLD),
    INDENT + widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP),
    ...body,
    options.color ? paint(`* ${COMPARISON_TABLE_NOTE}`, ANSI_DIM) : `* ${COMPARISON_TABLE_NOTE}`,
  ];
  return output.join('\n') + '\n';
}

function lineOf(item: ComparisonItem): Line {
  const also = formatRoles(item.alsoFor);
  if (item.kind === 'estimate') {
    const { row } = item;
    const blanks = row.values.map(() => '');
    if (row.available.every((available) => !available) && new Set(row.values).size === 1) {
      return { cells: [row.label, row.unit, ...blanks, '', also], best: [], span: row.values[0] ?? '' };
    }
    // A reason repeated in a design column would widen every row of the table.
    const values = row.values.map((value, index) => (row.available[index] === true ? value : UNAVAILABLE));
    return { cells: [row.label, row.unit, ...values.map((v) => v + NO_MARK), '', also], best: [] };
  }
  const row = formatComparisonRow(item.row);
  return {
    cells: [
      row.label,
      row.unit,
      ...row.values.map((value, index) => value + (row.best[index] === true ? BEST_MARK : NO_MARK)),
      row.baseline,
      also,
    ],
    best: row.best,
  };
}

/** Label and unit in their columns, then the text across the value columns, then the roles. */
function spanLine(
  line: Line,
  widths: readonly number[],
  pad: (text: string, column: number) => string,
): string {
  const [label = '', unit = ''] = line.cells;
  const also = line.cells.at(-1) ?? '';
  return (INDENT + [pad(label, 0), pad(unit, 1), line.span ?? '', also].join(COLUMN_GAP)).trimEnd();
}

/** Design labels come from the command line or a file: control characters would drive the terminal. */
function printable(text: string): string {
  return text.replace(/\p{Cc}/gu, '?');
}
