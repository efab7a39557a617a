/**
 * Market (`/market`): clearing price and traded energy per slot over time, the slots in a table, and
 * the selected slot's supply and demand curves (its order book too in a continuous market). The
 * selected slot lives in the URL (`?slot=<ms>`) so a link to it can be shared and survives a reload.
 */
import { useMemo, useRef, useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { EmptyState, Panel } from '../components/panel';
import { TimeChart } from '../components/time-chart';
import { formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { MarketNone } from './market-none';
import { loadMarketOverview, type MarketOverview } from '../market/market-slots';
import {
  lastClearedSlot,
  nearestSlot,
  RANGES,
  slotFromQuery,
  slotSeries,
  type RangeKey,
  type SlotOutcome,
} from '../market/slot-series';
import { navigate, useLocation } from '../router';
import { MarketSlotDetail } from './market-slot-detail';
import { MarketSlotTable } from './market-slot-table';

export function MarketView() {
  const { api, session, marketId } = useApp();
  const { query } = useLocation();
  const [range, setRange] = useState<RangeKey>('24h');
  const cache = useRef(new Map<number, SlotOutcome>());
  const overview = useResource(
    () =>
      marketId === undefined
        ? Promise.resolve(undefined)
        : loadMarketOverview(api, session, marketId, range, cache.current),
    [marketId, range],
    { refreshOn: ['slot-cleared', 'slot-settled'], minIntervalMs: 3_000 },
  );
  const data = overview.data;
  const selectedFromUrl = slotFromQuery(query);
  const selectedMs =
    selectedFromUrl ?? (data === undefined ? undefined : lastClearedSlot(data.slots)?.startMs);
  const select = (slotStartMs: number) => navigate(`/market?slot=${slotStartMs}`);

  const rangeButtons = (
    <div class="segmented" role="group" aria-label="Time range">
      {RANGES.map((r) => (
        <button
          key={r.key}
          type="button"
          class={r.key === range ? 'active' : undefined}
          aria-pressed={r.key === range}
          data-range={r.key}
          onClick={() => setRange(r.key)}
        >
          {r.label}
        </button>
      ))}
    </div>
  );
  const noneCleared = (d: MarketOverview | undefined) =>
    d === undefined || !d.slots.some((s) => s.status === 'cleared');
  const firstGate = data?.slots.find((s) => s.status === 'open')?.gateClosureMs;
  const emptyText =
    firstGate === undefined
      ? 'No slot has cleared yet: the first clears at its gate closure.'
      : `No slot has cleared yet: the first clears at ${formatTime(firstGate)}.`;

  if (marketId === undefined) return <MarketNone view="market" />;
  return (
    <>
      <Panel
        title="Price and traded energy per slot"
        subtitle="Clearing price (stepped, left axis) and energy traded (right axis); click a point to open its slot"
        resource={overview}
        wide
        actions={rangeButtons}
        testId="price-chart-panel"
        isEmpty={noneCleared}
        empty={emptyText}
      >
        {(d) =>
          d !== undefined && (
            <PriceChart
              overview={d}
              onPick={(timeMs) => {
                const slot = nearestSlot(d.slots, timeMs);
                if (slot !== undefined) select(slot.startMs);
              }}
            />
          )
        }
      </Panel>
      <MarketSlotDetailOrEmpty
        overview={data}
        selectedMs={selectedMs}
        onSelect={select}
        emptyText={emptyText}
      />
      <Panel
        title="Slots"
        subtitle={
          data?.truncated === true
            ? 'The first 2,000 slots of the range; pick a shorter range for the newest'
            : 'Newest first; click a row to see its curves'
        }
        resource={overview}
        wide
        testId="slots-panel"
        isEmpty={(d) => d === undefined || d.slots.length === 0}
        empty="No market slots in this range yet: slots open as the market runs."
      >
        {(d) => d !== undefined && <MarketSlotTable overview={d} selectedMs={selectedMs} onSelect={select} />}
      </Panel>
    </>
  );
}

function MarketSlotDetailOrEmpty(props: {
  overview: MarketOverview | undefined;
  selectedMs: number | undefined;
  onSelect: (slotStartMs: number) => void;
  emptyText: string;
}) {
  if (props.overview === undefined) return null;
  if (props.selectedMs === undefined)
    return (
      <Panel
        title="Supply and demand"
        subtitle="Aggregated bids and offers of the selected slot, in merit order"
        wide
        testId="curves-panel"
      >
        {() => <EmptyState text={props.emptyText} />}
      </Panel>
    );
  return (
    <MarketSlotDetail overview={props.overview} selectedMs={props.selectedMs} onSelect={props.onSelect} />
  );
}

function PriceChart({ overview, onPick }: { overview: MarketOverview; onPick: (timeMs: number) => void }) {
  const series = useMemo(() => slotSeries(overview.slots, overview.outcomes), [overview]);
  return (
    <TimeChart
      timesMs={series.timesMs}
      series={[
        {
          label: `Clearing price (${overview.currency}/kWh)`,
          values: series.pricePerKwh,
          color: '#0b6bcb',
          stepped: true,
        },
        {
          label: 'Traded (kWh)',
          values: series.tradedKwh,
          color: '#2b8a3e',
          axis: 'right',
          stepped: true,
          dash: [4, 3],
        },
      ]}
      leftUnit={`${overview.currency}/kWh`}
      rightUnit="kWh"
      height={260}
      onPick={onPick}
      testId="price-chart"
    />
  );
}
