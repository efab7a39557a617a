/** The Market view: built by its own change (issue 8). */
import { EmptyState } from '../components/panel';

export function MarketView() {
  return <EmptyState text="This view is being built." />;
}
