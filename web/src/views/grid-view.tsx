/**
 * The Grid view (DSO, utility, market operator, regulator): the feeder's latest or a chosen slot's
 * solved state on its map, the violations (a click rings the element on the map), the substation's
 * load against its capacity over the day with the voltage extremes, and each connection's operating
 * envelope where the caller may see participants. Live on `grid-solved`, throttled.
 */
import { useMemo, useState } from 'preact/hooks';
import { ApiProblem } from '../api/problem';
import { useApp } from '../app-context';
import { FeederLegend, FeederMap } from '../components/feeder-map';
import { Panel, Stat } from '../components/panel';
import { TimeChart } from '../components/time-chart';
import { formatDateTime, formatNumber, formatPowerKw, formatTime } from '../format';
import { layoutFeeder } from '../grid/feeder-layout';
import { getFeeder, getGridState, getGridStates, type GridState } from '../grid/grid-contract';
import { violationRows } from '../grid/violations';
import { useResource } from '../hooks/use-resource';
import { EnvelopeTable } from './grid-envelopes';

/** grid-solved arrives once per slot per market; a busy demo at speed 600 solves a slot a second. */
const LIVE_MIN_INTERVAL_MS = 3_000;

/** A 404 means "nothing solved yet" here, which is an empty panel rather than an error. */
async function orNothingYet<T>(load: Promise<T>): Promise<T | null> {
  try {
    return await load;
  } catch (error) {
    // A platform without a feeder answers 404 too: the map panel explains that one, so it stays an error.
    const detail = error instanceof ApiProblem ? (error.problem.detail ?? '') : '';
    if (error instanceof ApiProblem && error.problem.status === 404 && !detail.includes('feeder'))
      return null;
    throw error;
  }
}

export function GridView() {
  const { api } = useApp();
  const [slotStartMs, setSlotStartMs] = useState<number | undefined>(undefined);
  const [highlight, setHighlight] = useState<string | undefined>(undefined);

  const feeder = useResource(() => getFeeder(api), [api]);
  const state = useResource(() => orNothingYet(getGridState(api, slotStartMs)), [api, slotStartMs], {
    refreshOn: slotStartMs === undefined ? ['grid-solved'] : [],
    minIntervalMs: LIVE_MIN_INTERVAL_MS,
  });
  const states = useResource(() => getGridStates(api), [api], {
    refreshOn: ['grid-solved'],
    minIntervalMs: LIVE_MIN_INTERVAL_MS,
  });

  const layout = useMemo(
    () => (feeder.data === undefined ? undefined : layoutFeeder(feeder.data.buses, feeder.data.lines)),
    [feeder.data],
  );
  const connectionsByBus = useMemo(() => {
    const counts = new Map<string, number>();
    for (const c of feeder.data?.connections ?? []) counts.set(c.bus, (counts.get(c.bus) ?? 0) + 1);
    return counts;
  }, [feeder.data]);
  const current = state.data ?? undefined;
  const busOf = useMemo(
    () => new Map((feeder.data?.connections ?? []).map((c) => [c.participantId, c.bus])),
    [feeder.data],
  );
  const solvedSlots = states.data?.states ?? [];

  const slotPicker = (
    <label class="slot-picker">
      <span>Slot</span>
      <select
        data-testid="grid-slot"
        value={slotStartMs === undefined ? '' : String(slotStartMs)}
        onChange={(e) => {
          const value = (e.currentTarget as HTMLSelectElement).value;
          setSlotStartMs(value === '' ? undefined : Number(value));
          setHighlight(undefined);
        }}
      >
        <option value="">Latest (live)</option>
        {[...solvedSlots].reverse().map((s) => (
          <option key={s.slotStartMs} value={String(s.slotStartMs)}>
            {formatDateTime(s.slotStartMs)}
            {s.violationCount > 0
              ? ` · ${s.violationCount} violation${s.violationCount === 1 ? '' : 's'}`
              : ''}
          </option>
        ))}
      </select>
    </label>
  );

  return (
    <>
      <Panel
        title="Feeder now"
        subtitle={
          current === undefined
            ? 'The solved power flow of the latest settled slot'
            : `Slot ${formatDateTime(current.slotStartMs)}${slotStartMs === undefined ? ' (latest solved)' : ''}`
        }
        resource={state}
        isEmpty={(s) => s === null}
        empty="No slot has been solved yet: the feeder is solved after each slot settles, a few seconds after its end."
        wide
        testId="grid-summary"
      >
        {(s) => (s === null ? null : <GridStats state={s} />)}
      </Panel>
      <Panel
        title="Feeder map"
        subtitle={
          feeder.data === undefined
            ? 'Buses by voltage, lines by loading'
            : `${feeder.data.feederId}: ${feeder.data.buses.length} buses, ${feeder.data.lines.length} lines; buses by voltage, lines by loading`
        }
        resource={feeder}
        actions={slotPicker}
        wide
        testId="grid-map"
      >
        {(f) =>
          layout === undefined ? null : (
            <div class="feeder-map-layout">
              <FeederMap
                layout={layout}
                substationBus={f.substation.bus}
                state={current}
                highlight={highlight}
                onPick={(id) => setHighlight((h) => (h === id ? undefined : id))}
                connectionsByBus={connectionsByBus}
              />
              <FeederLegend />
            </div>
          )
        }
      </Panel>
      <Panel
        title="Violations"
        subtitle="Limits broken in this slot; click one to find it on the map"
        resource={state}
        isEmpty={(s) => s === null || s.violations.length === 0}
        empty={
          current === undefined
            ? 'Nothing solved yet: violations are checked with each solved slot.'
            : `No violations in the slot of ${formatTime(current.slotStartMs)}: every bus within 0.95–1.05 pu, every line within its rating, the substation within capacity.`
        }
        testId="grid-violations"
      >
        {(s) =>
          s === null ? null : (
            <div class="table-scroll">
              <table class="data violations-table">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Element</th>
                    <th class="num">Value</th>
                    <th class="num">Limit</th>
                    <th>Slot</th>
                  </tr>
                </thead>
                <tbody>
                  {violationRows(s.violations).map((v) => (
                    <tr
                      key={v.key}
                      class={`clickable${highlight === v.elementId ? ' selected' : ''}`}
                      data-testid="violation-row"
                      onClick={() => setHighlight(v.elementId)}
                    >
                      <td>{v.kindLabel}</td>
                      <td>
                        {v.elementKind} {v.elementId}
                      </td>
                      <td class="num">{v.value}</td>
                      <td class="num">{v.limit}</td>
                      <td>{formatTime(s.slotStartMs)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Panel>
      <Panel
        title="Substation load"
        subtitle="Per solved slot: substation kW against its capacity (left), lowest and highest bus voltage (right); click to open a slot"
        resource={states}
        isEmpty={(d) => d.states.length === 0}
        empty="No slot has been solved yet today: a point is added as each slot settles."
        testId="grid-history"
      >
        {(d) => (
          <TimeChart
            timesMs={d.states.map((s) => s.slotStartMs)}
            series={[
              { label: 'Substation kW', values: d.states.map((s) => s.substationKw), color: '#0b6bcb' },
              {
                label: 'Capacity kW',
                values: d.states.map((s) => s.capacityKw),
                color: '#c0392b',
                dash: [6, 4],
              },
              {
                label: 'Min V pu',
                values: d.states.map((s) => s.vMinPu),
                color: '#d9622b',
                axis: 'right',
              },
              {
                label: 'Max V pu',
                values: d.states.map((s) => s.vMaxPu),
                color: '#2b54c4',
                axis: 'right',
              },
            ]}
            leftUnit="kW"
            rightUnit="pu"
            onPick={(timeMs) => {
              const picked = d.states.find((s) => Math.abs(s.slotStartMs - timeMs) < 1);
              if (picked !== undefined) setSlotStartMs(picked.slotStartMs);
            }}
            testId="substation-chart"
          />
        )}
      </Panel>
      {current !== undefined && current.envelopes.length > 0 && (
        <Panel
          title="Operating envelopes"
          subtitle={`What each connection may import and export in the next slot, from the slot of ${formatTime(current.slotStartMs)}`}
          testId="grid-envelopes"
        >
          {() => <EnvelopeTable envelopes={current.envelopes} busOf={busOf} />}
        </Panel>
      )}
    </>
  );
}

function GridStats({ state }: { state: GridState }) {
  const loadPct =
    state.substationKw === null || state.capacityKw <= 0
      ? undefined
      : (Math.abs(state.substationKw) / state.capacityKw) * 100;
  return (
    <div class="stats">
      <Stat
        label="Substation"
        value={formatPowerKw(state.substationKw)}
        detail={`of ${formatPowerKw(state.capacityKw)} capacity${loadPct === undefined ? '' : ` (${formatNumber(loadPct, 0)} %)`}`}
        tone={loadPct !== undefined && loadPct > 100 ? 'bad' : undefined}
        testId="stat-substation"
      />
      <Stat
        label="Lowest voltage"
        value={`${formatNumber(state.vMinPu, 3)} pu`}
        detail="of any bus phase; Range A from 0.95"
        tone={state.vMinPu === null ? undefined : state.vMinPu < 0.95 ? 'bad' : 'good'}
        testId="stat-vmin"
      />
      <Stat
        label="Highest voltage"
        value={`${formatNumber(state.vMaxPu, 3)} pu`}
        detail="of any bus phase; Range A to 1.05"
        tone={state.vMaxPu === null ? undefined : state.vMaxPu > 1.05 ? 'bad' : 'good'}
        testId="stat-vmax"
      />
      <Stat label="Losses" value={formatPowerKw(state.lossesKw)} detail="in lines and transformers" />
      <Stat
        label="Violations"
        value={String(state.violations.length)}
        tone={state.violations.length > 0 ? 'bad' : 'good'}
        testId="stat-violations"
      />
      <Stat
        label="Power flow"
        value={state.converged ? 'Solved' : 'Did not converge'}
        detail={
          state.converged ? `at ${formatTime(state.solvedMs)}` : (state.reason ?? 'no voltages this slot')
        }
        tone={state.converged ? undefined : 'bad'}
      />
    </div>
  );
}
