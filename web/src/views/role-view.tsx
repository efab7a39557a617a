/**
 * Each role's own view (`/me`): what that role may read and nothing more. The server's access matrix
 * protects the data; these views do not even ask for what the role may not read, so no panel shows a
 * refusal. Every view works in simulated time under the demo (its clock) and in wall-clock time live.
 */
import { dataOf } from '../api/client';
import type { paths } from '../api/schema';
import type { Role } from '../api/session';
import { useApp } from '../app-context';
import { useDemoClock } from '../components/demo-bar';
import { EmptyState, ErrorNotice } from '../components/panel';
import { useResource } from '../hooks/use-resource';
import { AggregatorView } from './aggregator-view';
import { NetworkView } from './network-view';
import { OperatorView } from './operator-view';
import { ProsumerView } from './prosumer-view';
import { RegulatorView } from './regulator-view';

export function roleViewLabel(role: Role): string {
  switch (role) {
    case 'prosumer':
    case 'facility-manager':
    case 'der-developer':
      return 'My home';
    case 'aggregator':
    case 'microgrid-operator':
      return 'Portfolio';
    case 'regulator':
      return 'Oversight';
    case 'market-operator':
      return 'Operations';
    case 'utility':
    case 'dso':
      return 'Network';
  }
}

export type Market = paths['/api/markets/{marketId}']['get']['responses'][200]['content']['application/json'];
export type MarketRules = NonNullable<Market['rules']>;

/** What every role's view is given: the market, its rules and the time (simulated in the demo). */
export interface RoleViewProps {
  readonly marketId: string;
  readonly market: Market;
  readonly rules: MarketRules | undefined;
  /** The market period, ms (the rules', else the market's). */
  readonly periodMs: number;
  readonly nowMs: () => number;
  readonly demo: boolean;
  /** Simulated ms per real ms: the demo clock's speed, 1 live. */
  readonly speed: number;
}

export function RoleView() {
  const { session, marketId, api } = useApp();
  const clock = useDemoClock();
  const market = useResource(
    () =>
      marketId === undefined
        ? Promise.resolve(undefined)
        : dataOf(api.GET('/api/markets/{marketId}', { params: { path: { marketId } } })),
    [marketId],
    // The operator may change the rules at any time; no event announces it.
    { pollMs: 60_000 },
  );
  if (marketId === undefined) {
    return (
      <EmptyState text="Looking for the market… if this stays, the platform has no market yet: this view fills once the operator creates one." />
    );
  }
  if (market.data === undefined && market.error !== undefined) return <ErrorNotice error={market.error} />;
  if (clock.status === 'loading' || market.data === undefined) {
    return (
      <p class="panel-state" role="status">
        Loading…
      </p>
    );
  }
  const props: RoleViewProps = {
    marketId,
    market: market.data,
    rules: market.data.rules ?? undefined,
    periodMs: market.data.rules?.slotDurationMs ?? market.data.slotDurationMs,
    nowMs: clock.nowMs,
    demo: clock.status === 'demo',
    speed: clock.info?.speed ?? 1,
  };
  switch (session.role) {
    case 'prosumer':
    case 'facility-manager':
    case 'der-developer':
      return <ProsumerView {...props} />;
    case 'aggregator':
    case 'microgrid-operator':
      return <AggregatorView {...props} />;
    case 'regulator':
      return <RegulatorView {...props} />;
    case 'market-operator':
      return <OperatorView {...props} />;
    case 'utility':
    case 'dso':
      return <NetworkView {...props} />;
  }
}
