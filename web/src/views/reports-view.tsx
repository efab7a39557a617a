/**
 * Reports (`/reports`, everyone): the simulation and comparison runs in the server's runs directory
 * (contract D), and one run opened (`/reports/<runId>`): its KPIs grouped in a table, its time series
 * as charts, and a comparison's designs side by side.
 */
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel } from '../components/panel';
import { formatDateTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { followLink, useLocation } from '../router';
import { ReportsRun } from './reports-run';

export const REPORTS_EMPTY =
  'No run yet. Make one with `node bin/tenet.js simulate` (it writes out/<scenario>/ with kpis.json and timeseries.csv), ' +
  'or compare designs with `node bin/tenet.js compare`; runs appear here from the server’s runs directory ' +
  '(tenet demo --runs-dir, default ./out).';

export function ReportsView() {
  const { path } = useLocation();
  const runId = decodeURIComponent(path.split('/')[2] ?? '');
  return (
    <>
      <ReportsList selected={runId} />
      {runId !== '' && <ReportsRun key={runId} runId={runId} />}
    </>
  );
}

function ReportsList({ selected }: { selected: string }) {
  const { api } = useApp();
  const runs = useResource(async () => (await dataOf(api.GET('/api/runs'))).runs, [], { pollMs: 30_000 });
  return (
    <Panel
      title="Runs"
      subtitle="Simulations (tenet simulate) and design comparisons (tenet compare), newest first"
      resource={runs}
      isEmpty={(list) => list.length === 0}
      empty={REPORTS_EMPTY}
      wide
      testId="reports-runs"
      actions={
        <button type="button" onClick={runs.reload}>
          Refresh
        </button>
      }
    >
      {(list) => (
        <div class="table-scroll">
          <table class="data" data-testid="reports-run-list">
            <thead>
              <tr>
                <th>Run</th>
                <th>Kind</th>
                <th>Scenario</th>
                <th>Designs</th>
                <th>Written</th>
              </tr>
            </thead>
            <tbody>
              {list.map((run) => (
                <tr key={run.id} class={run.id === selected ? 'selected' : undefined}>
                  <td>
                    <a
                      href={`/reports/${encodeURIComponent(run.id)}`}
                      onClick={(e) => followLink(e, `/reports/${encodeURIComponent(run.id)}`)}
                      data-testid="reports-open"
                    >
                      {run.name}
                    </a>
                    {run.problem !== undefined && (
                      <span class="run-problem"> unreadable ({run.problem})</span>
                    )}
                  </td>
                  <td>{run.kind}</td>
                  <td>{run.scenario}</td>
                  <td>{run.designs.join(', ')}</td>
                  <td>{run.createdMs === 0 ? '–' : formatDateTime(run.createdMs)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {selected === '' && <p class="hint">Open a run to see its KPIs and charts.</p>}
        </div>
      )}
    </Panel>
  );
}
