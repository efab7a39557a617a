/**
 * The selected slot: its supply and demand curves with the clearing point and what decided the price,
 * and for a continuous market its order book beside them. Previous and next slot by button or by the
 * arrow keys while the panel has focus.
 */
import { useApp } from '../app-context';
import { OrderBookTable } from '../components/order-book';
import { Panel } from '../components/panel';
import { SupplyDemandChart } from '../components/supply-demand-chart';
import { formatDateTime, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { clearingStory } from '../market/clearing-story';
import { CONTINUOUS_MECHANISM, loadSlotDetail, type MarketOverview } from '../market/market-slots';
import { neighbourSlot, supplierPriceAt } from '../market/slot-series';

export function MarketSlotDetail(props: {
  overview: MarketOverview;
  selectedMs: number | undefined;
  onSelect: (slotStartMs: number) => void;
}) {
  const { api, marketId } = useApp();
  const { overview, selectedMs } = props;
  const slot = overview.slots.find((s) => s.startMs === selectedMs);
  const status = slot?.status;
  const detail = useResource(
    () =>
      selectedMs === undefined || marketId === undefined
        ? Promise.resolve(undefined)
        : loadSlotDetail(api, marketId, slot, selectedMs, overview.mechanism),
    [marketId, selectedMs, status],
  );
  const previous = neighbourSlot(overview.slots, selectedMs, -1);
  const next = neighbourSlot(overview.slots, selectedMs, 1);
  const onKeyDown = (event: KeyboardEvent) => {
    const target = event.key === 'ArrowLeft' ? previous : event.key === 'ArrowRight' ? next : undefined;
    if (target === undefined) return;
    event.preventDefault();
    props.onSelect(target.startMs);
  };
  const actions = (
    <>
      <button
        type="button"
        data-testid="slot-previous"
        disabled={previous === undefined}
        onClick={() => previous !== undefined && props.onSelect(previous.startMs)}
        aria-label="Previous slot"
      >
        ← Previous
      </button>
      <button
        type="button"
        data-testid="slot-next"
        disabled={next === undefined}
        onClick={() => next !== undefined && props.onSelect(next.startMs)}
        aria-label="Next slot"
      >
        Next →
      </button>
    </>
  );
  const continuous = overview.mechanism === CONTINUOUS_MECHANISM;
  return (
    <div class="panel-wide slot-detail" onKeyDown={onKeyDown} tabIndex={-1} data-testid="slot-detail">
      <Panel
        title={
          selectedMs === undefined
            ? 'Supply and demand'
            : `Supply and demand · slot ${formatDateTime(selectedMs)}`
        }
        subtitle="Aggregated bids and offers in merit order (no participant shown); ← → keys step through slots"
        resource={detail}
        wide
        actions={actions}
        testId="curves-panel"
        isEmpty={(data) => data === undefined || (data.kind === 'not-cleared' && data.book === undefined)}
        empty={emptyText(selectedMs, detail.data)}
      >
        {(data) =>
          data?.kind === 'not-cleared' && data.book !== undefined ? (
            <div>
              <p class="hint">
                This slot is still trading: its curves appear once it clears
                {data.gateClosureMs === undefined ? '' : ` at ${formatTime(data.gateClosureMs)}`}; the book
                below is its live depth.
              </p>
              <h3 class="subhead">Order book</h3>
              <OrderBookTable book={data.book} currency={overview.currency} />
            </div>
          ) : (
            data?.kind === 'cleared' && (
              <div class={continuous && data.book !== undefined ? 'curves-with-book' : undefined}>
                <div>
                  <p class="decision-story" data-testid="slot-story">
                    {clearingStory(data.curves, {
                      currency: overview.currency,
                      ...(overview.supplier === undefined
                        ? {}
                        : { supplierPricePerKwh: supplierPriceAt(overview.supplier, data.slotStartMs) }),
                    })}
                  </p>
                  <SupplyDemandChart curves={data.curves} currency={overview.currency} />
                </div>
                {data.book !== undefined && (
                  <div>
                    <h3 class="subhead">Order book</h3>
                    <OrderBookTable book={data.book} currency={overview.currency} />
                  </div>
                )}
              </div>
            )
          )
        }
      </Panel>
    </div>
  );
}

function emptyText(
  selectedMs: number | undefined,
  detail: { kind: string; status?: string; gateClosureMs?: number } | undefined,
): string {
  if (selectedMs === undefined) return 'No slot has cleared yet: pick one in the table once it has.';
  if (detail?.kind === 'not-cleared' && detail.gateClosureMs !== undefined)
    return `This slot is ${detail.status ?? 'not cleared'}: its bids and offers stay private until it clears at the gate closure, ${formatTime(detail.gateClosureMs)}.`;
  return 'This slot has not cleared yet: its curves appear once it has.';
}
