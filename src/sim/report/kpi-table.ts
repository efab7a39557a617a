/**
 * The KPI comparison as a terminal table, grouped by role (key metrics first):
 * KPI | unit | TE | baseline | change | also for. An evaluation estimate spans the three value columns.
 */
import type { SimulationResult } from '../results.js';
import { formatEstimate, formatRoles, reportGroups, type ReportRow } from './kpi-groups.js';
import { formatKpiRow, type KpiVerdict } from './kpi-rows.js';
import { displayWidth } from './text-width.js';

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

const HEADER = ['KPI', 'unit', 'TE', 'baseline', 'change', 'also for'] as const;
const RIGHT_ALIGNED = [false, false, true, true, true, false] as const;
const COLUMN_GAP = '  ';
/** Rows are indented under their group's title. */
const INDENT = '  ';

interface Line {
  readonly cells: readonly string[];
  /** The change column's colour, or the estimate spanning the value columns. */
  readonly verdict?: KpiVerdict;
  readonly estimate?: string;
}

export function formatKpiTable(result: SimulationResult, options: KpiTableOptions): string {
  const groups = reportGroups(result).map((group) => ({
    title: group.title,
    lines: group.items.map(lineOf),
  }));
  const lines = groups.flatMap((group) => group.lines);
  const widths = HEADER.map((title, column) =>
    Math.max(
      displayWidth(title),
      ...lines.map((line) =>
        line.estimate !== undefined && column >= 2 && column <= 4
          ? 0
          : displayWidth(line.cells[column] ?? ''),
      ),
    ),
  );
  const pad = (text: string, column: number): string => {
    const fill = ' '.repeat(Math.max(0, (widths[column] ?? 0) - displayWidth(text)));
    return RIGHT_ALIGNED[column] ? fill + text : text + fill;
  };
  const paint = (text: string, ansi: string): string =>
    options.color && ansi !== '' ? `${ansi}${text}${ANSI_RESET}` : text;

  const header = paint((INDENT + HEADER.map(pad).join(COLUMN_GAP)).trimEnd(), ANSI_BOLD);
  const rule = INDENT + widths.map((width) => '-'.repeat(width)).join(COLUMN_GAP);
  const body = groups.flatMap((group) => [
    paint(group.title, ANSI_BOLD),
    ...group.lines.map((line) => INDENT + formatLine(line, widths, pad, paint)),
  ]);
  return [header, rule, ...body].join('\n') + '\n';
}

function lineOf(item: ReportRow): Line {
  const also = formatRoles(item.alsoFor);
  if (item.kind === 'estimate') {
    const estimate = formatEstimate(item.row);
    return { cells: [item.row.label, item.row.unit, '', '', '', also], estimate };
  }
  const row = formatKpiRow(item.row);
  return { cells: [row.label, row.unit, row.te, row.baseline, row.change, also], verdict: row.verdict };
}

function formatLine(
  line: Line,
  widths: readonly number[],
  pad: (text: string, column: number) => string,
  paint: (text: string, ansi: string) => string,
): string {
  const [label = '', unit = '', te = '', baseline = '', change = '', also = ''] = line.cells;
  if (line.estimate !== undefined) {
    const span = (widths[2] ?? 0) + (widths[3] ?? 0) + (widths[4] ?? 0) + 2 * COLUMN_GAP.length;
    const text = ' '.repeat(Math.max(0, span - displayWidth(line.estimate))) + line.estimate;
    return [pad(label, 0), pad(unit, 1), text, also].join(COLUMN_GAP).trimEnd();
  }
  const coloured = paint(pad(change, 4), VERDICT_ANSI[line.verdict ?? 'unknown']);
  return [pad(label, 0), pad(unit, 1), pad(te, 2), pad(baseline, 3), coloured, pad(also, 5)]
    .join(COLUMN_GAP)
    .trimEnd();
}
