/**
 * The role-grouped KPIs of kpis.json and comparison.json (`roles.<role>.<id>`, `keyMetrics`), written by
 * the CLI from the KPI catalogue (docs/kpis.md) with labels, units and rounding, so this view needs no
 * copy of them: key metrics first, then one group per role. Older files without `roles` fall back to
 * run-kpis.ts.
 */
import { formatNumber } from '../format';
import type { KpiTableGroup, KpiTableRow } from './run-kpis';

export const ROLE_ORDER = ['utility', 'dso', 'customer', 'aggregator', 'regulator', 'environment'] as const;

const GROUP_TITLES: Readonly<Record<string, string>> = {
  'key-metrics': 'Key metrics',
  utility: 'Utility',
  dso: 'DSO (distribution network)',
  customer: 'Customers',
  aggregator: 'Aggregator',
  regulator: 'Regulator',
  environment: 'Environment',
  unavailable: 'Not available in this run',
};

interface EstimateJson {
  readonly value?: number | null;
  readonly low?: number | null;
  readonly high?: number | null;
  readonly confidence?: number | null;
}

/** One KPI of either document; the fields present depend on scope and document kind. */
interface RoleEntry {
  readonly label?: string;
  readonly unit?: string;
  readonly decimals?: number;
  readonly alsoFor?: readonly string[];
  readonly scope?: 'run' | 'evaluation';
  readonly te?: number | null;
  readonly baseline?: number | null;
  readonly change?: number | null;
  readonly changePercent?: number | null;
  readonly values?: readonly (number | null)[];
  readonly estimate?: EstimateJson | null;
  readonly estimates?: readonly (EstimateJson | null)[];
  readonly unavailable?: string | null;
  readonly classes?: Readonly<
    Record<
      string,
      {
        readonly homes?: number | null;
        readonly te?: number | null;
        readonly baseline?: number | null;
        readonly change?: number | null;
        readonly values?: readonly (number | null)[];
      }
    >
  >;
}

type Roles = Readonly<Record<string, Readonly<Record<string, RoleEntry>> | undefined>>;

export interface RoleDocument {
  readonly roles?: unknown;
  readonly keyMetrics?: unknown;
}

const num = (value: unknown): number | null =>
  typeof value === 'number' && Number.isFinite(value) ? value : null;

/** "12.3 (95% CI 8.1 – 16.4)", "12.3", or "unavailable: <why>". */
export function estimateText(
  estimate: EstimateJson | null | undefined,
  decimals: number,
  why?: string | null,
): string {
  const value = num(estimate?.value);
  if (estimate === null || estimate === undefined || value === null) {
    return `unavailable${why === null || why === undefined || why === '' ? '' : `: ${why}`}`;
  }
  const low = num(estimate.low);
  const high = num(estimate.high);
  if (low === null || high === null) return formatNumber(value, decimals);
  const confidence = num(estimate.confidence);
  const level =
    confidence === null
      ? ''
      : `${formatNumber(confidence * 100, Number.isInteger(confidence * 100) ? 0 : 1)}% `;
  return `${formatNumber(value, decimals)} (${level}CI ${formatNumber(low, decimals)} – ${formatNumber(high, decimals)})`;
}

function changeText(change: number | null, percent: number | null, decimals: number): string | null {
  if (change === null || percent === null) return null;
  const sign = (v: number) => (v > 0 ? '+' : '');
  return `${sign(change)}${formatNumber(change, decimals)} (${sign(percent)}${formatNumber(percent, 1)}%)`;
}

/** Rows of one KPI: a simulation shows TE, baseline and change; a comparison each design, then the baseline. */
function rowsOf(
  entry: RoleEntry,
  id: string,
  alsoFor: readonly string[],
  columns: number,
  comparison: boolean,
): KpiTableRow[] {
  const decimals = typeof entry.decimals === 'number' ? entry.decimals : 2;
  const base = { label: entry.label ?? id, unit: entry.unit ?? '', decimals, alsoFor: alsoFor.join(', ') };
  const blank = Array.from({ length: columns }, () => null);
  if (entry.scope === 'evaluation') {
    if (!comparison) {
      return [
        { ...base, values: blank, spanText: estimateText(entry.estimate, decimals, entry.unavailable) },
      ];
    }
    const texts = [...(entry.estimates ?? []).map((e) => estimateText(e, decimals, entry.unavailable)), ''];
    return [{ ...base, values: blank, texts }];
  }
  const main: KpiTableRow = comparison
    ? { ...base, values: [...(entry.values ?? []).map(num), num(entry.baseline)] }
    : {
        ...base,
        values: [num(entry.te), num(entry.baseline), num(entry.change)],
        texts: [null, null, changeText(num(entry.change), num(entry.changePercent), decimals)],
      };
  const classes = Object.entries(entry.classes ?? {}).map(([name, c]) => ({
    ...base,
    label: `${base.label}: ${name}${num(c.homes) === null ? '' : ` (${num(c.homes)} homes)`}`,
    values: comparison
      ? [...(c.values ?? []).map(num), num(c.baseline)]
      : [num(c.te), num(c.baseline), num(c.change)],
  }));
  return [main, ...classes];
}

/**
 * The groups of a document with `roles`, or undefined for an older file. `columns`: the value columns
 * (3 for a simulation; designs + 1 for a comparison).
 */
export function roleKpiTable(
  document: RoleDocument,
  columns: number,
  comparison: boolean,
): KpiTableGroup[] | undefined {
  if (typeof document.roles !== 'object' || document.roles === null) return undefined;
  const roles = document.roles as Roles;
  const keyMetrics = Array.isArray(document.keyMetrics)
    ? document.keyMetrics.filter((id): id is string => typeof id === 'string')
    : [];
  const isKey = new Set(keyMetrics);
  const keyRows = keyMetrics.flatMap((id) => {
    const role = ROLE_ORDER.find((r) => roles[r]?.[id] !== undefined);
    const entry = role === undefined ? undefined : roles[role]?.[id];
    return role === undefined || entry === undefined
      ? []
      : rowsOf(entry, id, [role, ...(entry.alsoFor ?? [])], columns, comparison);
  });
  // Estimates the run could not make go last, with all their roles, as in the CLI's report.
  const unavailable: KpiTableRow[] = [];
  const roleGroups = ROLE_ORDER.map((role) => {
    const rows = Object.entries(roles[role] ?? {})
      .filter(([id]) => !isKey.has(id))
      .flatMap(([id, entry]) => {
        if (!isAvailable(entry, comparison)) {
          unavailable.push(...rowsOf(entry, id, [role, ...(entry.alsoFor ?? [])], columns, comparison));
          return [];
        }
        return rowsOf(entry, id, entry.alsoFor ?? [], columns, comparison);
      });
    return { title: GROUP_TITLES[role] as string, rows };
  });
  const groups: KpiTableGroup[] = [
    { title: GROUP_TITLES['key-metrics'] as string, rows: keyRows },
    ...roleGroups,
    { title: GROUP_TITLES.unavailable as string, rows: unavailable },
  ];
  return groups.filter((group) => group.rows.length > 0);
}

/** Run KPIs always are; an estimate when the run (or any design) has one. */
function isAvailable(entry: RoleEntry, comparison: boolean): boolean {
  if (entry.scope !== 'evaluation') return true;
  if (!comparison) return num(entry.estimate?.value) !== null;
  return (entry.estimates ?? []).some((estimate) => num(estimate?.value) !== null);
}

/** 'treatment-control' → 'Treatment control': sections carry only their id in the JSON. */
export function sectionTitle(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** The sections of a document as [id, content] pairs, in file order; none for older files. */
export function sectionsOf(value: unknown): [string, unknown][] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.entries(value) : [];
}
