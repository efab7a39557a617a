/**
 * The network's summary for the DSO and the utility: the substation's load against its capacity and
 * the violations of the last day from the live feeder's power flow (contract B), with the way to the
 * Grid view for the feeder map.
 */
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { TimeChart } from '../components/time-chart';
import { formatNumber, formatPercent, formatPowerKw, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { recentWindow } from '../roles/demo-clock';
import { followLink } from '../router';
import { NetworkEnvelopes } from './network-envelopes';
import type { RoleViewProps } from './role-view';

export function NetworkView(props: RoleViewProps) {
  return (
    <>
      <NetworkSummary {...props} />
      <NetworkEnvelopes {...props} />
    </>
  );
}

function NetworkSummary(props: RoleViewProps) {
  const { api } = useApp();
  const states = useResource(
    async () =>
      (
        await dataOf(
          api.GET('/api/grid/states', { params: { query: recentWindow(props.nowMs(), props.periodMs, 24) } }),
        )
      ).states,
    [props.periodMs],
    { refreshOn: ['grid-solved'], minIntervalMs: 5_000 },
  );
  return (
    <Panel
      title="Network"
      subtitle="The feeder’s power flow, solved for each settled slot, over the last 24 hours"
      resource={states}
      isEmpty={(s) => s.length === 0}
      empty="No slot solved yet: the feeder’s power flow is solved for each slot once it is settled."
      wide
      testId="network-summary"
      actions={
        <a href="/grid" onClick={(e) => followLink(e, '/grid')}>
          Open the Grid view
        </a>
      }
    >
      {(s) => {
        const sorted = [...s].sort((a, b) => a.slotStartMs - b.slotStartMs);
        const last = sorted[sorted.length - 1];
        const violations = sorted.reduce((sum, state) => sum + state.violationCount, 0);
        const peak = Math.max(...sorted.map((state) => state.substationKw ?? -Infinity));
        return (
          <>
            <div class="stats">
              <Stat
                label="Substation load"
                value={formatPowerKw(last?.substationKw)}
                detail={`of ${formatPowerKw(last?.capacityKw)}, slot ${formatTime(last?.slotStartMs)}`}
                tone={last !== undefined && (last.substationKw ?? 0) > last.capacityKw ? 'bad' : undefined}
              />
              <Stat
                label="Peak load"
                value={formatPowerKw(Number.isFinite(peak) ? peak : null)}
                detail="last 24 h"
              />
              <Stat
                label="Violations"
                value={String(violations)}
                detail="voltage, line and substation limits, last 24 h"
                tone={violations > 0 ? 'bad' : 'good'}
                testId="network-violations"
              />
              <Stat
                label="Voltage range"
                value={`${formatNumber(last?.vMinPu, 3)} – ${formatNumber(last?.vMaxPu, 3)} pu`}
                detail={`highest line loading ${formatPercent(last?.maxLoadingPct)}`}
              />
            </div>
            <TimeChart
              timesMs={sorted.map((state) => state.slotStartMs)}
              series={[
                {
                  label: 'Substation load (kW)',
                  values: sorted.map((state) => state.substationKw),
                  color: '#d9622b',
                  stepped: true,
                },
                {
                  label: 'Capacity (kW)',
                  values: sorted.map((state) => state.capacityKw),
                  color: '#5d6678',
                  dash: [4, 4],
                },
              ]}
              leftUnit="kW"
              height={220}
            />
          </>
        );
      }}
    </Panel>
  );
}
