/** The operating envelopes of the connections in the caller's scope: a sortable table. */
import { useMemo, useState } from 'preact/hooks';
import { SortHeader } from '../components/sort-table-header';
import { formatPowerKw } from '../format';
import type { GridEnvelope } from '../grid/grid-contract';
import { sortRows, type SortState } from '../fleet/table-sort';

type EnvelopeColumn = 'participantId' | 'bus' | 'importLimitKw' | 'exportLimitKw';

export function EnvelopeTable(props: {
  envelopes: readonly GridEnvelope[];
  busOf: ReadonlyMap<string, string>;
}) {
  const [sort, setSort] = useState<SortState<EnvelopeColumn>>({ column: 'participantId', direction: 'asc' });
  const rows = useMemo(
    () =>
      sortRows(props.envelopes, sort, (e, column) =>
        column === 'bus' ? props.busOf.get(e.participantId) : e[column],
      ),
    [props.envelopes, props.busOf, sort],
  );
  const header = (column: EnvelopeColumn, label: string, numeric = false) => (
    <SortHeader column={column} label={label} sort={sort} onSort={setSort} numeric={numeric} />
  );
  return (
    <div class="table-scroll">
      <table class="data" data-testid="envelope-table">
        <thead>
          <tr>
            {header('participantId', 'Participant')}
            {header('bus', 'Bus')}
            {header('importLimitKw', 'Import limit', true)}
            {header('exportLimitKw', 'Export limit', true)}
          </tr>
        </thead>
        <tbody>
          {rows.map((e) => (
            <tr key={e.participantId}>
              <td>{e.participantId}</td>
              <td>{props.busOf.get(e.participantId) ?? '–'}</td>
              <td class="num">{e.importLimitKw === null ? 'no limit' : formatPowerKw(e.importLimitKw)}</td>
              <td class="num">{e.exportLimitKw === null ? 'no limit' : formatPowerKw(e.exportLimitKw)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
