/**
 * The DER fleet (roles that may read device telemetry: a prosumer its own devices, an aggregator its
 * portfolio, the grid and market operators all): each device's newest sample in a windowed table,
 * filtered by kind, state and id, sorted by any column, refreshed on `telemetry-received` at most once a
 * second. /fleet/<deviceId> opens a device's history instead.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { FleetTable } from '../components/fleet-table';
import { Panel, Stat } from '../components/panel';
import { deviceIdOfPath } from '../fleet/device-history';
import { fetchFleet } from '../fleet/fleet-contract';
import {
  NO_FILTER,
  filterOptions,
  filterRows,
  fleetRows,
  sortFleet,
  type FleetColumn,
  type FleetFilter,
  type FleetRow,
} from '../fleet/fleet-rows';
import type { SortState } from '../fleet/table-sort';
import { formatDateTime, formatPowerKw } from '../format';
import { useResource } from '../hooks/use-resource';
import { useLocation } from '../router';
import { DeviceHistoryView } from './device-history-view';

const LIVE_MIN_INTERVAL_MS = 1_000;

export function FleetView() {
  const { path } = useLocation();
  const deviceId = deviceIdOfPath(path);
  return deviceId === undefined ? <FleetList /> : <DeviceHistoryView deviceId={deviceId} />;
}

function FleetList() {
  const { api, session } = useApp();
  const fleet = useResource(() => fetchFleet(api), [api], {
    refreshOn: ['telemetry-received'],
    minIntervalMs: LIVE_MIN_INTERVAL_MS,
  });
  const [filter, setFilter] = useState<FleetFilter>(NO_FILTER);
  const [sort, setSort] = useState<SortState<FleetColumn>>({ column: 'deviceId', direction: 'asc' });

  // Rows keep their identity while their device's sample is unchanged (see fleetRows).
  const previous = useRef<ReadonlyMap<string, FleetRow>>(new Map());
  const rows = useMemo(() => {
    const next = fleetRows(fleet.data ?? [], previous.current);
    previous.current = new Map(next.map((row) => [row.deviceId, row]));
    return next;
  }, [fleet.data]);
  const options = useMemo(() => filterOptions(rows), [rows]);
  const shown = useMemo(() => sortFleet(filterRows(rows, filter), sort), [rows, filter, sort]);
  const totals = useMemo(() => fleetTotals(rows), [rows]);

  const scopeNote =
    session.role === 'prosumer'
      ? 'Your devices'
      : session.role === 'aggregator'
        ? 'The devices of the participants you represent'
        : 'Every device on the platform';
  return (
    <>
      <Panel
        title="DER fleet"
        subtitle={`${scopeNote}: each device's newest report, live`}
        resource={fleet}
        isEmpty={(d) => d.length === 0}
        empty="No device has reported yet: devices appear here with their first telemetry, sent after each market slot."
        wide
        testId="fleet-panel"
        actions={
          <div class="fleet-filters">
            <input
              type="search"
              placeholder="Search device or participant id"
              aria-label="Search device or participant id"
              value={filter.text}
              onInput={(e) => setFilter({ ...filter, text: (e.currentTarget as HTMLInputElement).value })}
              data-testid="fleet-search"
            />
            <select
              aria-label="Kind"
              value={filter.kind}
              onChange={(e) => setFilter({ ...filter, kind: (e.currentTarget as HTMLSelectElement).value })}
              data-testid="fleet-kind"
            >
              <option value="">All kinds</option>
              {options.kinds.map((kind) => (
                <option key={kind} value={kind}>
                  {kind}
                </option>
              ))}
            </select>
            <select
              aria-label="State"
              value={filter.state}
              onChange={(e) => setFilter({ ...filter, state: (e.currentTarget as HTMLSelectElement).value })}
              data-testid="fleet-state"
            >
              <option value="">All states</option>
              {options.states.map((state) => (
                <option key={state} value={state}>
                  {state}
                </option>
              ))}
            </select>
          </div>
        }
      >
        {() => (
          <>
            <div class="stats fleet-stats">
              <Stat
                label="Devices"
                value={
                  shown.length === rows.length ? String(rows.length) : `${shown.length} of ${rows.length}`
                }
                detail={shown.length === rows.length ? 'reporting' : 'match the filter'}
                testId="fleet-count"
              />
              <Stat label="Consuming" value={formatPowerKw(totals.importKw)} detail="sum of positive power" />
              <Stat
                label="Producing"
                value={formatPowerKw(Math.abs(totals.exportKw))}
                detail="sum of negative power"
              />
              <Stat label="Newest report" value={formatDateTime(totals.newestMs)} />
            </div>
            {shown.length === 0 ? (
              <p class="panel-state">
                No device matches the filter. Clear the search or pick another kind or state.
              </p>
            ) : (
              <FleetTable rows={shown} sort={sort} onSort={setSort} />
            )}
          </>
        )}
      </Panel>
    </>
  );
}

function fleetTotals(rows: readonly FleetRow[]): {
  importKw: number;
  exportKw: number;
  newestMs: number | undefined;
} {
  let importKw = 0;
  let exportKw = 0;
  let newestMs: number | undefined;
  for (const row of rows) {
    const kw = row.sample.powerKw;
    if (kw > 0) importKw += kw;
    else exportKw += kw;
    newestMs = newestMs === undefined ? row.sample.timeMs : Math.max(newestMs, row.sample.timeMs);
  }
  return { importKw, exportKw, newestMs };
}
