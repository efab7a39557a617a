/**
 * What the Community and Market views show before the shell knows the market: loading while the
 * market list is on its way, and why the view is empty when the platform has no market at all.
 */
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { EmptyState } from '../components/panel';
import { useResource } from '../hooks/use-resource';

export function MarketNone({ view }: { view: string }) {
  const { api } = useApp();
  const markets = useResource(() => dataOf(api.GET('/api/markets')), [], { pollMs: 10_000 });
  if (markets.data?.length === 0)
    return (
      <EmptyState
        text={`The platform has no market yet: the ${view} view fills once the market operator sets one up.`}
      />
    );
  return (
    <p class="panel-state" role="status">
      Loading…
    </p>
  );
}
