/**
 * Standards (`/standards`, everyone): the inventory of standards a TE platform meets, by platform
 * segment (GET /api/standards), filtered by segment (in the URL: /standards?segment=markets), status and
 * text. Each standard opens to its scope, what tenet covers and does not, and the modules and tests that
 * show it.
 */
import { useMemo, useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { useResource } from '../hooks/use-resource';
import { navigate, useLocation } from '../router';
import {
  filterStandards,
  groupBySegment,
  segmentOfQuery,
  standardsPath,
  statusCounts,
  STATUS_ORDER,
  type InventoryStandard,
} from '../standards/standards-inventory';

export function StandardsView() {
  const { api } = useApp();
  const { query } = useLocation();
  const inventory = useResource(async () => dataOf(api.GET('/api/standards')), [api]);
  const [status, setStatus] = useState('');
  const [text, setText] = useState('');
  const segments = inventory.data?.segments ?? [];
  const segment = segmentOfQuery(query, segments);
  const shown = useMemo(
    () => filterStandards(inventory.data?.standards ?? [], { segment, status, text }),
    [inventory.data, segment, status, text],
  );
  const groups = useMemo(() => groupBySegment(segments, shown, segment), [segments, shown, segment]);

  return (
    <Panel
      title="Standards"
      subtitle="The standards a transactive energy platform meets, by platform segment (IEEE P825), and what tenet implements of them"
      resource={inventory}
      isEmpty={(data) => data.standards.length === 0}
      empty="The server's standards inventory lists no standard."
      wide
      testId="standards-panel"
      actions={
        <div class="standards-filters">
          <input
            type="search"
            placeholder="Search name, body, scope"
            aria-label="Search standards"
            value={text}
            onInput={(e) => setText((e.currentTarget as HTMLInputElement).value)}
            data-testid="standards-search"
          />
          <select
            aria-label="Segment"
            value={segment}
            onChange={(e) => navigate(standardsPath((e.currentTarget as HTMLSelectElement).value))}
            data-testid="standards-segment-filter"
          >
            <option value="">All segments</option>
            {segments.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
          <select
            aria-label="Status"
            value={status}
            onChange={(e) => setStatus((e.currentTarget as HTMLSelectElement).value)}
            data-testid="standards-status-filter"
          >
            <option value="">All statuses</option>
            {STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </div>
      }
    >
      {() => (
        <>
          <div class="stats standards-stats">
            {statusCounts(shown).map(({ status: s, count }) => (
              <Stat key={s} label={s} value={String(count)} testId={`standards-count-${s}`} />
            ))}
          </div>
          <p class="hint">
            No entry claims certification: the tests listed show behaviour against the published documents,
            not conformance under a certification programme. The same inventory is{' '}
            <code>tenet standards</code> and <code>docs/standards.md</code>.
          </p>
          {groups.map((group) => (
            <section
              key={group.segment.id}
              class="standards-segment"
              data-testid="standards-segment"
              data-segment={group.segment.id}
            >
              <h3>
                {group.segment.label} <span class="standards-segment-count">{group.standards.length}</span>
              </h3>
              <p class="hint">{group.segment.description}</p>
              {group.standards.length === 0 ? (
                <p class="panel-state">No standard in this segment matches the filter.</p>
              ) : (
                <ul class="standards-list">
                  {group.standards.map((standard) => (
                    <StandardItem key={standard.id} standard={standard} />
                  ))}
                </ul>
              )}
            </section>
          ))}
        </>
      )}
    </Panel>
  );
}

function StandardItem({ standard }: { standard: InventoryStandard }) {
  return (
    <li>
      <details class="standard" data-testid="standard" data-id={standard.id}>
        <summary>
          <span class="standard-name">{standard.name}</span>
          <span class="standard-meta">
            {standard.body} · {standard.version}
          </span>
          <span class={`standard-status status-${standard.status}`} data-testid="standard-status">
            {standard.status}
          </span>
        </summary>
        <div class="standard-body">
          <p>{standard.scope}</p>
          <dl>
            <Detail label="Covered" text={standard.covered} />
            <Detail label="Not covered" text={standard.notCovered} />
            <Detail label="Via" text={standard.via} />
            <Detail label="Note" text={standard.note} />
            <PathList label="Modules" paths={standard.modules} testId="standard-modules" />
            <PathList label="Tests" paths={standard.tests} testId="standard-tests" />
          </dl>
        </div>
      </details>
    </li>
  );
}

function Detail({ label, text }: { label: string; text: string | undefined }) {
  if (text === undefined) return null;
  return (
    <>
      <dt>{label}</dt>
      <dd>{text}</dd>
    </>
  );
}

function PathList(props: { label: string; paths: readonly string[] | undefined; testId: string }) {
  if (props.paths === undefined || props.paths.length === 0) return null;
  return (
    <>
      <dt>{props.label}</dt>
      <dd>
        <ul class="standard-paths" data-testid={props.testId}>
          {props.paths.map((path) => (
            <li key={path}>
              <code>{path}</code>
            </li>
          ))}
        </ul>
      </dd>
    </>
  );
}
