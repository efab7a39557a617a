/**
 * The KPIs of a report grouped by who reads them: a "Key metrics" group first when the scenario names
 * `evaluation.keyMetrics`, then one group per stakeholder role in a fixed order. A KPI shows once, in the
 * key metrics or else under its first role; its other roles are noted beside it.
 */
import { KPI_CATALOGUE, kpiById } from '../kpi/catalogue.js';
import {
  STAKEHOLDER_ROLES,
  type EvaluationKpi,
  type KpiDefinition,
  type KpiEstimate,
  type StakeholderRole,
} from '../kpi/kpi-definition.js';
import type { SimulationResult } from '../results.js';
import { runKpiRows, unitOf, type KpiRow } from './kpi-rows.js';
import { formatNumber, MISSING } from './number-format.js';

/** 'unavailable': the evaluation KPIs a result cannot estimate, gathered last so the role groups read clean. */
export type KpiGroupId = 'key-metrics' | StakeholderRole | 'unavailable';

export const GROUP_TITLES: Readonly<Record<KpiGroupId, string>> = {
  'key-metrics': 'Key metrics',
  utility: 'Utility',
  dso: 'DSO (distribution network)',
  customer: 'Customers',
  aggregator: 'Aggregator',
  regulator: 'Regulator',
  environment: 'Environment',
  unavailable: 'Not available in this run',
};

export interface KpiGroupOf<Item> {
  readonly id: KpiGroupId;
  readonly title: string;
  readonly items: readonly Item[];
}

/** Where each KPI goes; empty groups are left out. Unknown key-metric ids are skipped (validated earlier). */
export function groupKpis(
  kpis: readonly KpiDefinition[],
  keyMetrics: readonly string[],
): KpiGroupOf<KpiDefinition>[] {
  const shown = new Set(kpis.map((kpi) => kpi.id));
  const keyIds = [...new Set(keyMetrics)].filter((id) => shown.has(id) || kpiById(id) !== undefined);
  const keyKpis = keyIds.flatMap((id) => {
    const kpi = kpis.find((candidate) => candidate.id === id) ?? kpiById(id);
    return kpi === undefined ? [] : [kpi];
  });
  const isKey = new Set(keyIds);
  const groups: KpiGroupOf<KpiDefinition>[] = [
    { id: 'key-metrics', title: GROUP_TITLES['key-metrics'], items: keyKpis },
    ...STAKEHOLDER_ROLES.map((role) => ({
      id: role,
      title: GROUP_TITLES[role],
      items: kpis.filter((kpi) => kpi.roles[0] === role && !isKey.has(kpi.id)),
    })),
  ];
  return groups.filter((group) => group.items.length > 0);
}

/** The roles a row notes beside the KPI: all of them in the key metrics, the others under a role. */
export function alsoFor(kpi: KpiDefinition, group: KpiGroupId): StakeholderRole[] {
  return group === 'key-metrics' || group === 'unavailable'
    ? [...kpi.roles]
    : kpi.roles.filter((role) => role !== group);
}

/**
 * Moves the rows a result cannot estimate out of the role groups into a last group, with all their
 * roles noted. Key metrics stay where the scenario asked for them, reason and all.
 */
export function unavailableLast<Item extends { readonly alsoFor: readonly StakeholderRole[] }>(
  groups: readonly KpiGroupOf<Item>[],
  isUnavailable: (item: Item) => boolean,
): KpiGroupOf<Item>[] {
  const moved: Item[] = [];
  const kept = groups.map((group) => {
    if (group.id === 'key-metrics' || group.id === 'unavailable') return group;
    const role = group.id;
    const items = group.items.filter((item) => {
      if (!isUnavailable(item)) return true;
      moved.push({ ...item, alsoFor: [role, ...item.alsoFor] });
      return false;
    });
    return { ...group, items };
  });
  return [...kept, { id: 'unavailable' as const, title: GROUP_TITLES.unavailable, items: moved }].filter(
    (group) => group.items.length > 0,
  );
}

/**
 * The KPIs a result's report shows: run KPIs that apply to it (no feeder rows without a feeder), and
 * evaluation KPIs it can estimate, or all of them when it went through an evaluation (so the reasons for
 * the missing ones show); a plain run is not padded with "unavailable" rows. A key metric always shows.
 */
export function reportedKpis(result: SimulationResult): KpiDefinition[] {
  const keyMetrics = new Set(result.meta.keyMetrics ?? []);
  return KPI_CATALOGUE.filter((kpi) => {
    if (keyMetrics.has(kpi.id)) return true;
    if (kpi.scope === 'run') return kpi.appliesTo?.(result) ?? true;
    return result.evaluation !== undefined || kpi.of(result) !== null;
  });
}

export interface EstimateRow {
  readonly id: string;
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
  readonly estimate: KpiEstimate | null;
  readonly unavailable: string;
}

export type ReportRow =
  | { readonly kind: 'run'; readonly row: KpiRow; readonly alsoFor: readonly StakeholderRole[] }
  | { readonly kind: 'estimate'; readonly row: EstimateRow; readonly alsoFor: readonly StakeholderRole[] };

/** The grouped rows of a single-run report. */
export function reportGroups(result: SimulationResult): KpiGroupOf<ReportRow>[] {
  const groups = groupKpis(reportedKpis(result), result.meta.keyMetrics ?? []).map((group) => ({
    id: group.id,
    title: group.title,
    items: group.items.flatMap((kpi): ReportRow[] => {
      const also = alsoFor(kpi, group.id);
      if (kpi.scope === 'run') {
        return runKpiRows(kpi, result).map((row) => ({ kind: 'run', row, alsoFor: also }));
      }
      return [{ kind: 'estimate', row: estimateRow(kpi, result), alsoFor: also }];
    }),
  }));
  return unavailableLast(groups, (item) => item.kind === 'estimate' && item.row.estimate === null);
}

export function estimateRow(kpi: EvaluationKpi, result: SimulationResult): EstimateRow {
  return {
    id: kpi.id,
    label: kpi.label,
    unit: unitOf(kpi, result.meta.currency),
    decimals: kpi.decimals,
    estimate: kpi.of(result),
    unavailable: kpi.unavailable,
  };
}

/** "12.3 (95% CI 8.1 – 16.4)", "12.3" without an interval, or "unavailable: <why>". */
export function formatEstimate(row: EstimateRow): string {
  const { estimate } = row;
  if (estimate === null) return `unavailable: ${row.unavailable}`;
  const value = formatNumber(estimate.value, row.decimals);
  const { low, high, confidence } = estimate;
  if (low === undefined || high === undefined || !Number.isFinite(low) || !Number.isFinite(high)) {
    return value;
  }
  const level = confidence === undefined || !Number.isFinite(confidence) ? '' : `${formatLevel(confidence)} `;
  return `${value} (${level}CI ${formatNumber(low, row.decimals)} – ${formatNumber(high, row.decimals)})`;
}

/** 0.95 → "95%", 0.995 → "99.5%". */
function formatLevel(confidence: number): string {
  const percent = confidence * 100;
  const decimals = Math.abs(percent - Math.round(percent)) < 1e-9 ? 0 : 1;
  const text = formatNumber(percent, decimals);
  return text === MISSING ? '' : `${text}%`;
}

/** How a row names the other roles that read its KPI: "dso, regulator"; empty when none. */
export function formatRoles(roles: readonly StakeholderRole[]): string {
  return roles.join(', ');
}
