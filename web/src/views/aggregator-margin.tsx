/**
 * The aggregator's margin, defined as the ledger books it: the market's aggregatorMarginPerKwh on every
 * kWh a member bought or sold, from the member fill rows of the recent cleared slots (the clearing
 * results in the aggregator's scope), next to what its members paid and earned for energy over the
 * last day (their statements' trade lines, fees and margin included).
 */
import { useRef } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { formatEnergyKwh, formatMoney, formatMoneyMinor, formatPricePerKwh } from '../format';
import { useResource } from '../hooks/use-resource';
import { recentWindow } from '../roles/demo-clock';
import { marginOf, representedMembers, type FillRowLike } from '../roles/portfolio';
import { billSummary } from '../roles/statement-summary';
import type { RoleViewProps } from './role-view';

/** Cleared slots the margin is summed over (an hour of five-minute slots). */
const MARGIN_SLOTS = 12;
/** At most this many members' statements are read (one request each). */
const STATEMENT_MEMBERS = 50;

export function AggregatorMargin(props: RoleViewProps) {
  const { api, session } = useApp();
  const { marketId, periodMs } = props;
  const marginPerKwh = props.rules?.aggregatorMarginPerKwh ?? 0;
  const currency = props.rules?.currency ?? 'USD';
  // A cleared slot's result never changes: each is read once.
  const results = useRef(new Map<number, readonly FillRowLike[]>());
  const margin = useResource(
    async () => {
      const nowMs = props.nowMs();
      const [slots, participants] = await Promise.all([
        dataOf(
          api.GET('/api/markets/{marketId}/slots', {
            params: {
              path: { marketId },
              query: { fromMs: nowMs - (MARGIN_SLOTS + 2) * periodMs, toMs: nowMs + periodMs },
            },
          }),
        ),
        dataOf(api.GET('/api/participants', { params: { query: { limit: 10_000 } } })),
      ]);
      const cleared = slots
        .filter((s) => s.status === 'cleared')
        .sort((a, b) => b.startMs - a.startMs)
        .slice(0, MARGIN_SLOTS);
      await Promise.all(
        cleared
          .filter((s) => !results.current.has(s.startMs))
          .map(async (s) => {
            const result = await dataOf(
              api.GET('/api/markets/{marketId}/slots/{slotStartMs}/result', {
                params: { path: { marketId, slotStartMs: s.startMs } },
              }),
            );
            results.current.set(s.startMs, result.fills.rows);
          }),
      );
      const members = representedMembers(participants, session.participantId);
      const traded = marginOf(
        cleared.map((s) => ({ durationMs: s.endMs - s.startMs, rows: results.current.get(s.startMs) ?? [] })),
        new Set(members.map((m) => m.id)),
        marginPerKwh,
      );
      const window = recentWindow(nowMs, periodMs, 24);
      const statements = await Promise.all(
        members.slice(0, STATEMENT_MEMBERS).map(async (m) =>
          billSummary(
            (await dataOf(
              api.GET('/api/participants/{participantId}/statement', {
                params: { path: { participantId: m.id }, query: window },
              }),
            )) as Parameters<typeof billSummary>[0],
          ),
        ),
      );
      return {
        slots: cleared.length,
        traded,
        members: members.length,
        statementMembers: statements.length,
        boughtMinor: statements.reduce((sum, s) => sum + s.energyBoughtMinor, 0),
        soldMinor: statements.reduce((sum, s) => sum + s.energySoldMinor, 0),
      };
    },
    [marketId, periodMs, marginPerKwh, session.participantId],
    { refreshOn: ['slot-cleared', 'slot-settled'], minIntervalMs: 10_000 },
  );

  return (
    <Panel
      title="Margin"
      subtitle={`Your margin: ${formatPricePerKwh(marginPerKwh, currency)} (the market’s aggregator margin) on every kWh your members bought or sold in the last ${MARGIN_SLOTS} cleared slots`}
      resource={margin}
      testId="aggregator-margin"
    >
      {(data) => (
        <>
          <div class="stats">
            <Stat
              label="Margin earned"
              value={formatMoney(data.traded.margin, currency)}
              detail={`over ${data.slots} cleared slots`}
              testId="margin-earned"
            />
            <Stat
              label="Members’ traded energy"
              value={formatEnergyKwh(data.traded.tradedKwh)}
              detail="bought plus sold"
            />
            <Stat
              label="Members paid for energy"
              value={formatMoneyMinor(data.boughtMinor, currency)}
              detail="last 24 h, statements"
            />
            <Stat
              label="Members earned selling"
              value={formatMoneyMinor(data.soldMinor, currency)}
              detail="last 24 h, statements"
            />
          </div>
          {data.statementMembers < data.members && (
            <p class="hint">
              Statements summed for the first {data.statementMembers} of {data.members} members.
            </p>
          )}
          {marginPerKwh === 0 && (
            <p class="hint">
              The market’s rules set no aggregator margin, so you earn none on your members’ trades.
            </p>
          )}
        </>
      )}
    </Panel>
  );
}
