/**
 * One run opened: a simulation's KPIs (transactive run, baseline, change) grouped by role (key metrics
 * first) in a table, its evaluation sections, and its time series as charts (clearing price, substation
 * load against capacity, indoor temperatures, load by device kind); a comparison's designs side by side.
 * Files written before the KPI catalogue have no role groups: their KPIs are grouped by theme.
 */
import { dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { useApp } from '../app-context';
import { Panel } from '../components/panel';
import { TimeChart, type TimeSeries } from '../components/time-chart';
import { formatNumber } from '../format';
import { useResource } from '../hooks/use-resource';
import {
  asComparison,
  asSimulationKpis,
  kpiTable,
  loadKinds,
  numericColumn,
  type KpiTableGroup,
} from '../reports/run-kpis';
import { roleKpiTable } from '../reports/role-kpis';
import { ReportSections } from './reports-sections';

type RunDocument = paths['/api/runs/{runId}']['get']['responses'][200]['content']['application/json'];
type Series = RunDocument['series'];

const PALETTE = ['#0b6bcb', '#d9622b', '#2b8a3e', '#8e44ad', '#b7791f', '#16a085', '#c0392b', '#5d6678'];

export function ReportsRun({ runId }: { runId: string }) {
  const { api } = useApp();
  const run = useResource(
    () => dataOf(api.GET('/api/runs/{runId}', { params: { path: { runId } } })),
    [runId],
  );
  return (
    <Panel
      title={run.data?.name ?? runId}
      subtitle={run.data === undefined ? 'Loading the run…' : describe(run.data)}
      resource={run}
      wide
      testId="reports-run"
    >
      {(doc) => <RunBody doc={doc} />}
    </Panel>
  );
}

function describe(doc: RunDocument): string {
  const kind = doc.kind === 'simulation' ? 'Simulation' : 'Comparison';
  const stride =
    doc.seriesStride > 1 ? `; charts show every ${doc.seriesStride}th of ${doc.seriesRows} slots` : '';
  return `${kind} of ${doc.scenario || 'an unnamed scenario'}: ${doc.designs.join(', ') || 'no design named'}${stride}`;
}

function RunBody({ doc }: { doc: RunDocument }) {
  if (doc.kind === 'comparison') {
    const comparison = asComparison(doc.comparison);
    if (comparison === undefined) return <p class="panel-state">This comparison has no designs to show.</p>;
    const currency = comparison.community?.currency ?? 'USD';
    const columns = [...comparison.designs.map((d) => `${d.label} (${d.mechanism})`), 'Baseline'];
    const groups =
      roleKpiTable(comparison, columns.length, true) ??
      kpiTable([...comparison.designs.map((d) => d.kpis), comparison.baseline], currency);
    return (
      <>
        <KpiTable groups={groups} columns={columns} />
        {comparison.designs.map((design) => (
          <ReportSections key={design.label} sections={design.sections} heading={design.label} />
        ))}
      </>
    );
  }
  const kpis = asSimulationKpis(doc.kpis);
  if (kpis === undefined) return <p class="panel-state">This run has no KPIs to show.</p>;
  const currency = kpis.scenario.currency ?? 'USD';
  const groups = roleKpiTable(kpis, 3, false) ?? kpiTable([kpis.te, kpis.baseline, kpis.delta], currency);
  return (
    <>
      <p class="run-meta">
        {kpis.scenario.description} {kpis.scenario.homes ?? '?'} homes, {kpis.scenario.startIso} to{' '}
        {kpis.scenario.endIso}, {kpis.scenario.mechanism}.
      </p>
      <KpiTable groups={groups} columns={['Transactive', 'Baseline', 'Change']} />
      <ReportSections sections={kpis.sections} heading="Evaluation" />
      <RunCharts
        series={doc.series}
        currency={currency}
        capacityKw={kpis.scenario.substationCapacityKw ?? undefined}
      />
    </>
  );
}

function KpiTable({ groups, columns }: { groups: readonly KpiTableGroup[]; columns: readonly string[] }) {
  const withRoles = groups.some((group) => group.rows.some((row) => row.alsoFor !== undefined));
  const width = 2 + columns.length + (withRoles ? 1 : 0);
  return (
    <div class="table-scroll run-kpis">
      <table class="data" data-testid="run-kpis">
        <thead>
          <tr>
            <th>KPI</th>
            <th>Unit</th>
            {columns.map((c) => (
              <th key={c} class="num">
                {c}
              </th>
            ))}
            {withRoles && <th>Also for</th>}
          </tr>
        </thead>
        {groups.map((group) => (
          <tbody key={group.title}>
            <tr class="group-row">
              <th colSpan={width}>{group.title}</th>
            </tr>
            {group.rows.map((row) => (
              <tr key={row.label}>
                <td>{row.label}</td>
                <td>{row.unit}</td>
                {row.spanText !== undefined ? (
                  <td colSpan={columns.length} class="num">
                    {row.spanText}
                  </td>
                ) : (
                  row.values.map((value, i) => (
                    <td key={i} class="num">
                      {row.texts?.[i] ?? formatNumber(value, row.decimals)}
                    </td>
                  ))
                )}
                {withRoles && <td>{row.alsoFor ?? ''}</td>}
              </tr>
            ))}
          </tbody>
        ))}
      </table>
    </div>
  );
}

function RunCharts({
  series,
  currency,
  capacityKw,
}: {
  series: Series;
  currency: string;
  capacityKw: number | undefined;
}) {
  const timesMs = (series.timeMs ?? []) as number[];
  if (timesMs.length === 0) return <p class="panel-state">This run has no time series (timeseries.csv).</p>;
  // [column, label, line, colour]: a baseline is dashed; min and max share a lighter colour, dotted.
  const pick = (entries: readonly [string, string, ('dash' | 'dot')?, string?][]): TimeSeries[] =>
    entries.flatMap(([column, label, line, color], i) => {
      const values = numericColumn(series, column);
      return values === undefined
        ? []
        : [
            {
              label,
              values,
              color: color ?? (PALETTE[i % PALETTE.length] as string),
              ...(line === 'dash' ? { dash: [5, 4] } : line === 'dot' ? { dash: [2, 3] } : {}),
            },
          ];
    });
  const capacity: TimeSeries[] =
    capacityKw === undefined
      ? []
      : [{ label: 'Capacity', values: timesMs.map(() => capacityKw), color: '#5d6678', dash: [2, 3] }];
  const charts: { title: string; unit: string; series: TimeSeries[] }[] = [
    {
      title: 'Clearing price',
      unit: `${currency}/kWh`,
      series: pick([
        ['te_clearing_price_per_kwh', 'Transactive'],
        ['baseline_clearing_price_per_kwh', 'Baseline', 'dash'],
      ]).map((s) => ({ ...s, stepped: true })),
    },
    {
      title: 'Substation load against capacity',
      unit: 'kW',
      series: [
        ...pick([
          ['te_substation_load_kw', 'Transactive'],
          ['baseline_substation_load_kw', 'Baseline', 'dash'],
        ]),
        ...capacity,
      ],
    },
    {
      title: 'Indoor temperature',
      unit: '°F',
      series: pick([
        ['te_indoor_temp_mean_f', 'Mean (transactive)', undefined, '#0b6bcb'],
        ['te_indoor_temp_min_f', 'Min (transactive)', 'dot', '#7fb1e3'],
        ['te_indoor_temp_max_f', 'Max (transactive)', 'dot', '#7fb1e3'],
        ['baseline_indoor_temp_mean_f', 'Mean (baseline)', 'dash', '#d9622b'],
      ]),
    },
    {
      title: 'Load by device kind (transactive)',
      unit: 'kW',
      series: pick(loadKinds(series).map((kind) => [`te_load_${kind}_kw`, kind] as [string, string])),
    },
    {
      title: 'Feeder voltage',
      unit: 'pu',
      series: pick([
        ['te_min_voltage_pu', 'Min (transactive)'],
        ['te_max_voltage_pu', 'Max (transactive)'],
      ]),
    },
  ];
  return (
    <div class="run-charts">
      {charts
        .filter((chart) => chart.series.length > 0)
        .map((chart) => (
          <figure key={chart.title} class="run-chart" data-testid="run-chart">
            <figcaption>
              {chart.title} ({chart.unit})
            </figcaption>
            <TimeChart timesMs={timesMs} series={chart.series} leftUnit={chart.unit} height={200} />
          </figure>
        ))}
    </div>
  );
}
