/**
 * The market operator's operations view: the market's settings (its rules) and its health: the server,
 * slots cleared and settled on time, the clearing latency, the event stream, the ledger and the most
 * recent audit records.
 */
import { useEffect, useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import {
  formatDateTime,
  formatDurationMs,
  formatNumber,
  formatPowerKw,
  formatPricePerKwh,
  formatTime,
} from '../format';
import { useResource } from '../hooks/use-resource';
import type { StreamStatus } from '../live/market-event-stream';
import { recentWindow } from '../roles/demo-clock';
import { slotHealth } from '../roles/slot-health';
import type { RoleViewProps } from './role-view';

/**
 * On time: cleared within a tenth of a slot of its gate closure (settled likewise after it was due),
 * or within a real second in the accelerated demo, where a millisecond of the machine's time is
 * `speed` ms of the market's and scheduling noise alone would make every slot late.
 */
function onTimeToleranceMs(periodMs: number, speed: number): number {
  return Math.max(periodMs / 10, 1_000 * speed);
}
const AUDIT_ROWS = 12;

export function OperatorView(props: RoleViewProps) {
  return (
    <>
      <OperatorSettings {...props} />
      <OperatorHealth {...props} />
      <OperatorAudit {...props} />
    </>
  );
}

function OperatorSettings({ market, rules }: RoleViewProps) {
  const currency = rules?.currency ?? 'USD';
  const rows: [string, string][] =
    rules === undefined
      ? []
      : [
          ['Mechanism', rules.mechanism],
          ['Slot length', formatDurationMs(rules.slotDurationMs)],
          ['Gate closure', `${formatDurationMs(rules.gateClosureLeadMs)} before the slot starts`],
          ['Slots open ahead', String(rules.orderHorizonSlots)],
          ['Price cap', formatPricePerKwh(rules.priceCapPerKwh, currency)],
          ['Grid fee (buyers, traded energy)', formatPricePerKwh(rules.gridFeePerKwh, currency)],
          [
            'Distribution charge (metered energy)',
            formatPricePerKwh(rules.distributionChargePerKwh, currency),
          ],
          ['Aggregator margin', formatPricePerKwh(rules.aggregatorMarginPerKwh, currency)],
          ['Settlement delay', formatDurationMs(rules.settlementDelayMs)],
          ['Distribution utility', rules.distributionUtility],
          [
            'Supplier',
            rules.supplier === undefined
              ? 'none'
              : `${rules.supplier.id}: ${formatPowerKw(rules.supplier.capacityKw)} at ${formatPricePerKwh(rules.supplier.pricePerKwh, currency)}${rules.supplier.hourlyPricePerKwh === undefined ? '' : ' (hourly prices)'}`,
          ],
        ];
  return (
    <Panel
      title="Market settings"
      subtitle={`${market.name} (${market.id}): the rules in force; change them with PUT /api/markets/${market.id}/rules`}
      testId="operator-settings"
    >
      {() =>
        rows.length === 0 ? (
          <p class="panel-state">
            This market has no rules yet: set them with PUT /api/markets/{market.id}/rules.
          </p>
        ) : (
          <table class="data">
            <tbody>
              {rows.map(([label, value]) => (
                <tr key={label}>
                  <th>{label}</th>
                  <td>{value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )
      }
    </Panel>
  );
}

function OperatorHealth(props: RoleViewProps) {
  const { api, events, marketId } = useApp();
  const { periodMs } = props;
  const [stream, setStream] = useState<StreamStatus>(events.status);
  useEffect(() => events.onStatus(setStream), [events]);
  const health = useResource(
    async () => {
      const nowMs = props.nowMs();
      const window = recentWindow(nowMs, periodMs, 2);
      const [server, slots, kpis] = await Promise.all([
        fetch('/healthz').then(async (r) =>
          r.ok ? ((await r.json()) as { status: string; role?: string }) : undefined,
        ),
        dataOf(
          api.GET('/api/markets/{marketId}/slots', {
            params: { path: { marketId: props.marketId }, query: window },
          }),
        ),
        dataOf(
          api.GET('/api/kpis', {
            params: { query: { marketId: props.marketId, ...recentWindow(nowMs, periodMs, 24) } },
          }),
        ),
      ]);
      const past = slots.filter((s) => s.gateClosureMs <= nowMs);
      return {
        server,
        kpis,
        slots: slotHealth(
          past,
          props.rules?.settlementDelayMs ?? periodMs,
          nowMs,
          onTimeToleranceMs(periodMs, props.speed),
        ),
        lastCleared: past.filter((s) => s.clearedAtMs !== null).sort((a, b) => b.startMs - a.startMs)[0],
      };
    },
    [marketId, periodMs, props.speed],
    { refreshOn: ['slot-cleared', 'slot-settled'], minIntervalMs: 5_000, pollMs: 30_000 },
  );
  return (
    <Panel
      title="Health"
      subtitle={`The last two hours of slots; on time: within ${formatDurationMs(onTimeToleranceMs(periodMs, props.speed))} of when it was due${props.demo ? ' (simulated time: a real second in the demo)' : ''}`}
      resource={health}
      testId="operator-health"
    >
      {(h) => (
        <div class="stats">
          <Stat
            label="Server"
            value={h.server?.status === 'ok' ? 'ok' : 'not answering'}
            detail={h.server?.role === undefined ? '/healthz' : `role ${h.server.role}`}
            tone={h.server?.status === 'ok' ? 'good' : 'bad'}
          />
          <Stat
            label="Event stream"
            value={stream}
            tone={stream === 'live' ? 'good' : 'bad'}
            testId="operator-stream"
          />
          <Stat
            label="Slots cleared on time"
            value={`${h.slots.clearedOnTime} / ${h.slots.slots}`}
            detail={h.slots.overdueClearing > 0 ? `${h.slots.overdueClearing} overdue` : 'none overdue'}
            tone={h.slots.overdueClearing > 0 || h.slots.clearedOnTime < h.slots.cleared ? 'bad' : 'good'}
          />
          <Stat
            label="Slots settled on time"
            value={`${h.slots.settledOnTime} / ${h.slots.settled}`}
            detail="of those settled"
            tone={h.slots.settledOnTime < h.slots.settled ? 'bad' : undefined}
          />
          <Stat
            label="Last clearing latency"
            value={formatDurationMs(h.slots.lastClearingLatencyMs)}
            detail={
              h.lastCleared === undefined
                ? 'no slot cleared yet'
                : `slot ${formatTime(h.lastCleared.startMs)}, after gate closure${
                    props.speed > 1
                      ? ` (${formatDurationMs((h.slots.lastClearingLatencyMs ?? 0) / props.speed)} real)`
                      : ''
                  }`
            }
          />
          <Stat label="Ledger entries" value={formatNumber(h.kpis.ledgerEntries, 0)} detail="last 24 h" />
        </div>
      )}
    </Panel>
  );
}

function OperatorAudit(props: RoleViewProps) {
  const { api } = useApp();
  const audit = useResource(
    async () => {
      const rows = await dataOf(
        api.GET('/api/audit', {
          params: { query: { fromMs: props.nowMs() - 24 * 3_600_000, limit: 10_000 } },
        }),
      );
      return rows.slice(-AUDIT_ROWS).reverse();
    },
    [],
    { pollMs: 30_000 },
  );
  return (
    <Panel
      title="Recent audit records"
      subtitle="Who changed what: rules, clients, participants, devices (newest first)"
      resource={audit}
      isEmpty={(rows) => rows.length === 0}
      empty="No audit record in the last day: every change to rules, clients, participants and devices is recorded here."
      wide
      testId="operator-audit"
    >
      {(rows) => (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th>Time</th>
                <th>Actor</th>
                <th>Action</th>
                <th>Target</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.id}>
                  <td>{formatDateTime(r.timeMs)}</td>
                  <td>{r.actor}</td>
                  <td>{r.action}</td>
                  <td>{r.target}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Panel>
  );
}
