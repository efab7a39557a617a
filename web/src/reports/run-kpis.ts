/**
 * A run's KPI document (kpis.json from `tenet simulate`, comparison.json from `tenet compare`) as table
 * rows, and the chart series a run's timeseries.csv offers. Current files carry their KPIs grouped by
 * role with labels and units (role-kpis.ts reads them); this file's table of the old top-level keys is
 * the fallback for files written before that, grouped by theme. A key it does not know is still shown,
 * under "Other", so a KPI is never silently dropped.
 */
export interface KpiDefinition {
  readonly key: string;
  readonly label: string;
  /** '{currency}' is replaced by the run's currency. */
  readonly unit: string;
  readonly decimals: number;
  /** Shares stored as 0..1 are shown in %. */
  readonly percent?: boolean;
}

export interface KpiGroup {
  readonly title: string;
  readonly kpis: readonly KpiDefinition[];
}

export const KPI_GROUPS: readonly KpiGroup[] = [
  {
    title: 'Energy and grid',
    kpis: [
      { key: 'peakSubstationDemandKw', label: 'Peak substation demand', unit: 'kW', decimals: 1 },
      { key: 'energyImportedKwh', label: 'Energy imported', unit: 'kWh', decimals: 1 },
      { key: 'energyExportedKwh', label: 'Energy exported', unit: 'kWh', decimals: 1 },
      { key: 'capacityExceededSlots', label: 'Slots over substation capacity', unit: 'slots', decimals: 0 },
      { key: 'pvSelfConsumption', label: 'PV self-consumption', unit: '%', decimals: 1, percent: true },
      { key: 'selfSufficiency', label: 'Self-sufficiency', unit: '%', decimals: 1, percent: true },
    ],
  },
  {
    title: 'Market',
    kpis: [
      {
        key: 'averageClearingPricePerKwh',
        label: 'Average clearing price',
        unit: '{currency}/kWh',
        decimals: 4,
      },
      { key: 'peakClearingPricePerKwh', label: 'Peak clearing price', unit: '{currency}/kWh', decimals: 4 },
      { key: 'clearingFailures', label: 'Clearing failures', unit: 'slots', decimals: 0 },
      { key: 'localTradedKwh', label: 'Traded locally', unit: 'kWh', decimals: 1 },
      { key: 'gridTradedKwh', label: 'Traded with the grid', unit: 'kWh', decimals: 1 },
      { key: 'socialWelfare', label: 'Social welfare', unit: '{currency}', decimals: 2 },
      { key: 'intermediaryRevenue', label: 'Intermediary revenue', unit: '{currency}', decimals: 2 },
    ],
  },
  {
    title: 'Households',
    kpis: [
      { key: 'totalCost', label: 'Total cost', unit: '{currency}', decimals: 2 },
      { key: 'billChangeGini', label: 'Gini of bill changes', unit: '', decimals: 3 },
      { key: 'comfortViolationDegreeHours', label: 'Comfort violation', unit: '°F·h', decimals: 1 },
      { key: 'evUnmetEnergyKwh', label: 'EV energy unmet', unit: 'kWh', decimals: 1 },
    ],
  },
];

const KNOWN = new Set(KPI_GROUPS.flatMap((g) => g.kpis.map((k) => k.key)));

/** One table row: a label, its unit and one value per column (null: missing or not finite). */
export interface KpiTableRow {
  readonly label: string;
  readonly unit: string;
  readonly values: readonly (number | null)[];
  readonly decimals: number;
  /** Per column, text shown instead of the number (an estimate with its interval, a change with %). */
  readonly texts?: readonly (string | null)[];
  /** Text that spans all the value columns (a simulation's estimate: it has no baseline or change). */
  readonly spanText?: string;
  /** The other roles that read this KPI. */
  readonly alsoFor?: string;
}

export interface KpiTableGroup {
  readonly title: string;
  readonly rows: readonly KpiTableRow[];
}

type KpiSetLike = Record<string, unknown>;

/** Rows for KPI sets shown side by side (TE, baseline, change; or one column per design). */
export function kpiTable(
  sets: readonly (KpiSetLike | null | undefined)[],
  currency: string,
): KpiTableGroup[] {
  const value = (set: KpiSetLike | null | undefined, key: string, percent: boolean): number | null => {
    const raw = set?.[key];
    if (typeof raw !== 'number' || !Number.isFinite(raw)) return null;
    return percent ? raw * 100 : raw;
  };
  const groups: KpiTableGroup[] = KPI_GROUPS.map((group) => ({
    title: group.title,
    rows: group.kpis
      .filter((k) => sets.some((set) => set !== null && set !== undefined && k.key in set))
      .map((k) => ({
        label: k.label,
        unit: k.unit.replace('{currency}', currency),
        values: sets.map((set) => value(set, k.key, k.percent === true)),
        decimals: k.decimals,
      })),
  }));
  const classes = new Set<string>();
  for (const set of sets) for (const name of Object.keys(costPerClassOf(set))) classes.add(name);
  if (classes.size > 0) {
    groups.push({
      title: 'Mean cost per home, by class',
      rows: [...classes].sort().map((name) => ({
        label: name,
        unit: currency,
        values: sets.map((set) => {
          const entry = costPerClassOf(set)[name];
          return typeof entry?.meanCostPerHome === 'number' ? entry.meanCostPerHome : null;
        }),
        decimals: 2,
      })),
    });
  }
  const other = [
    ...new Set(
      sets.flatMap((set) =>
        Object.keys(set ?? {}).filter((key) => !KNOWN.has(key) && typeof set?.[key] === 'number'),
      ),
    ),
  ].sort();
  if (other.length > 0) {
    groups.push({
      title: 'Other',
      rows: other.map((key) => ({
        label: key,
        unit: '',
        values: sets.map((set) => value(set, key, false)),
        decimals: 3,
      })),
    });
  }
  return groups.filter((g) => g.rows.length > 0);
}

function costPerClassOf(set: KpiSetLike | null | undefined): Record<string, { meanCostPerHome?: unknown }> {
  const raw = set?.costPerClass;
  return typeof raw === 'object' && raw !== null
    ? (raw as Record<string, { meanCostPerHome?: unknown }>)
    : {};
}

/** The parts of a simulation's kpis.json this view reads. */
export interface SimulationKpis {
  readonly scenario: {
    readonly scenarioName?: string;
    readonly description?: string;
    readonly currency?: string;
    readonly mechanism?: string;
    readonly homes?: number | null;
    readonly startIso?: string;
    readonly endIso?: string;
    readonly substationCapacityKw?: number | null;
    readonly marketPeriodMinutes?: number | null;
  };
  readonly te?: KpiSetLike;
  readonly baseline?: KpiSetLike;
  readonly delta?: KpiSetLike;
  /** Since the KPI catalogue: every KPI by id under its first role, the key metric ids, the sections. */
  readonly roles?: unknown;
  readonly keyMetrics?: unknown;
  readonly sections?: unknown;
}

export interface ComparisonDocument {
  readonly designs: readonly {
    readonly label: string;
    readonly mechanism: string;
    readonly kpis: KpiSetLike;
    readonly sections?: unknown;
  }[];
  readonly baseline: KpiSetLike | null;
  readonly community: SimulationKpis['scenario'] | null;
  readonly roles?: unknown;
  readonly keyMetrics?: unknown;
}

export function asSimulationKpis(document: unknown): SimulationKpis | undefined {
  const doc = document as SimulationKpis | null | undefined;
  return typeof doc?.scenario === 'object' && doc.scenario !== null ? doc : undefined;
}

export function asComparison(document: unknown): ComparisonDocument | undefined {
  const doc = document as ComparisonDocument | null | undefined;
  return Array.isArray(doc?.designs) ? doc : undefined;
}

/** A numeric column of the run's series, or undefined when absent or not numeric. */
export function numericColumn(
  series: Record<string, readonly (number | string | null)[]>,
  name: string,
): (number | null)[] | undefined {
  const column = series[name];
  if (column === undefined) return undefined;
  if (column.some((v) => typeof v === 'string')) return undefined;
  return column as (number | null)[];
}

/** The device load columns of a run (te_load_<kind>_kw), kinds in file order. */
export function loadKinds(series: Record<string, unknown>): string[] {
  return Object.keys(series)
    .filter((name) => name.startsWith('te_load_') && name.endsWith('_kw'))
    .map((name) => name.slice('te_load_'.length, -'_kw'.length));
}
