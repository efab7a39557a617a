/**
 * An aggregator's portfolio (also a microgrid operator's members): the participants it represents, their
 * devices' latest telemetry, their bids for recent slots and the aggregator's margin. Everything comes
 * from routes in its `represented` scope; it never asks for another participant.
 */
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { formatDateTime, formatNumber, formatPercent, formatPowerKw, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { bidSummary, representedMembers, telemetryByKind } from '../roles/portfolio';
import { AggregatorMargin } from './aggregator-margin';
import type { RoleViewProps } from './role-view';

/** Recent slots whose bids are shown. */
const BID_SLOTS = 6;

export function AggregatorView(props: RoleViewProps) {
  const { api, session } = useApp();
  const portfolio = useResource(
    async () => {
      const [participants, telemetry] = await Promise.all([
        dataOf(api.GET('/api/participants', { params: { query: { limit: 10_000 } } })),
        dataOf(api.GET('/api/device-telemetry/latest', { params: { query: { limit: 5_000 } } })),
      ]);
      const members = representedMembers(participants, session.participantId);
      const memberIds = new Set(members.map((m) => m.id));
      const devices = telemetry.devices.filter((d) => memberIds.has(d.participantId));
      return {
        members,
        kinds: telemetryByKind(devices),
        devices: devices.length,
        more: telemetry.nextAfterId !== undefined,
      };
    },
    [session.participantId],
    { refreshOn: ['telemetry-received'], minIntervalMs: 10_000 },
  );

  return (
    <>
      <Panel
        title="Portfolio"
        subtitle="The participants that name you as their aggregator, and their devices’ latest telemetry"
        resource={portfolio}
        isEmpty={(data) => data.members.length === 0}
        empty="No participant names you as its aggregator yet: they appear here once the operator registers them with you as aggregator."
        wide
        testId="aggregator-portfolio"
      >
        {(data) => (
          <>
            <div class="stats">
              <Stat
                label="Participants represented"
                value={String(data.members.length)}
                testId="portfolio-count"
              />
              <Stat
                label="Devices reporting"
                value={String(data.devices)}
                detail={data.more ? 'first 5,000' : undefined}
              />
              <Stat
                label="Portfolio power now"
                value={formatPowerKw(data.kinds.reduce((sum, k) => sum + k.powerKw, 0))}
                detail="sum of latest device samples; import positive"
              />
            </div>
            <div class="role-columns">
              <div class="table-scroll">
                <table class="data" data-testid="portfolio-members">
                  <thead>
                    <tr>
                      <th>Participant</th>
                      <th>Name</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.members.map((m) => (
                      <tr key={m.id}>
                        <td>{m.id}</td>
                        <td>{m.name}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <div class="table-scroll">
                <table class="data" data-testid="portfolio-devices">
                  <thead>
                    <tr>
                      <th>Device kind</th>
                      <th class="num">Devices</th>
                      <th class="num">Power</th>
                      <th class="num">Mean charge</th>
                      <th>Latest sample</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.kinds.length === 0 ? (
                      <tr>
                        <td colSpan={5}>No telemetry yet: devices report after each slot.</td>
                      </tr>
                    ) : (
                      data.kinds.map((k) => (
                        <tr key={k.kind}>
                          <td>{k.kind}</td>
                          <td class="num">{k.devices}</td>
                          <td class="num">{formatPowerKw(k.powerKw)}</td>
                          <td class="num">
                            {k.meanSocPct === undefined ? '–' : formatPercent(k.meanSocPct)}
                          </td>
                          <td>{formatDateTime(k.latestMs)}</td>
                        </tr>
                      ))
                    )}
                  </tbody>
                </table>
              </div>
            </div>
          </>
        )}
      </Panel>
      <AggregatorBids {...props} />
      <AggregatorMargin {...props} />
    </>
  );
}

function AggregatorBids(props: RoleViewProps) {
  const { api } = useApp();
  const { marketId, periodMs } = props;
  const capPerKwh = props.rules?.priceCapPerKwh ?? Number.POSITIVE_INFINITY;
  const bids = useResource(
    async () => {
      const nowMs = props.nowMs();
      const slots = await dataOf(
        api.GET('/api/markets/{marketId}/slots', {
          params: {
            path: { marketId },
            query: { fromMs: nowMs - BID_SLOTS * periodMs, toMs: nowMs + 2 * periodMs },
          },
        }),
      );
      const recent = [...slots].sort((a, b) => b.startMs - a.startMs).slice(0, BID_SLOTS);
      return Promise.all(
        recent.map(async (slot) => {
          const orders = await dataOf(
            api.GET('/api/orders', {
              params: { query: { marketId, slotStartMs: slot.startMs, limit: 10_000 } },
            }),
          );
          return { slot, summary: bidSummary(orders, capPerKwh) };
        }),
      );
    },
    [marketId, periodMs, capPerKwh],
    { refreshOn: ['slot-cleared'], minIntervalMs: 5_000 },
  );
  return (
    <Panel
      title="Bids"
      subtitle="Your members’ live orders for the most recent slots; must-run load bids at the price cap, flexible load below it"
      resource={bids}
      isEmpty={(rows) => rows.length === 0}
      empty="No slot yet: the operator opens slots ahead of time and your members bid before each gate closes."
      testId="aggregator-bids"
    >
      {(rows) => (
        <div class="table-scroll">
          <table class="data">
            <thead>
              <tr>
                <th>Slot</th>
                <th>Status</th>
                <th class="num">Orders</th>
                <th class="num">Buy</th>
                <th class="num">of which flexible</th>
                <th class="num">Sell</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ slot, summary }) => (
                <tr key={slot.startMs}>
                  <td>{formatTime(slot.startMs)}</td>
                  <td>{slot.status}</td>
                  <td class="num">
                    {summary.orders} ({summary.participants} members)
                  </td>
                  <td class="num">{formatPowerKw(summary.buyKw)}</td>
                  <td class="num">{formatPowerKw(summary.flexibleBuyKw)}</td>
                  <td class="num">{formatPowerKw(summary.sellKw)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p class="hint">
            Quantities are kW averaged over the slot; {formatNumber(periodMs / 60_000, 0)}-minute slots.
          </p>
        </div>
      )}
    </Panel>
  );
}
