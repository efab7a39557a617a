/**
 * The regulator's oversight: market KPIs, fairness across households and price volatility, from
 * aggregates and pseudonymous meter readings only. The regulator's scope has no participant ids or
 * names (kpis: aggregate, meter readings: anonymised, clearing results: aggregate), and this view shows
 * none: meters appear under a shortened pseudonym.
 */
import { useRef } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { TimeChart } from '../components/time-chart';
import { formatDateTime, formatEnergyKwh, formatPricePerKwh } from '../format';
import { useResource } from '../hooks/use-resource';
import { recentWindow } from '../roles/demo-clock';
import { priceVolatility } from '../roles/fairness';
import { RegulatorFairness } from './regulator-fairness';
import type { RoleViewProps } from './role-view';

/** Cleared slots priced for the fairness and volatility panels (two hours of five-minute slots). */
export const PRICED_SLOTS = 24;

export interface SlotPrice {
  readonly slotStartMs: number;
  readonly pricePerKwh: number;
}

export function RegulatorView(props: RoleViewProps) {
  const { api } = useApp();
  const { marketId, periodMs } = props;
  const currency = props.rules?.currency ?? 'USD';
  const kpis = useResource(
    () =>
      dataOf(
        api.GET('/api/kpis', {
          params: { query: { marketId, ...recentWindow(props.nowMs(), periodMs, 24) } },
        }),
      ),
    [marketId, periodMs],
    { refreshOn: ['slot-settled'], minIntervalMs: 10_000 },
  );
  const prices = useSlotPrices(props);

  return (
    <>
      <Panel
        title="Market KPIs"
        subtitle="The last 24 hours. As regulator you see aggregates only: totals, prices and pseudonymous meters, never a participant’s name or id."
        resource={kpis}
        wide
        testId="regulator-kpis"
      >
        {(k) => (
          <div class="stats">
            <Stat
              label="Slots"
              value={String(k.slots)}
              detail={`${k.slotsCleared} cleared, ${k.slotsSettled} settled`}
            />
            <Stat label="Traded energy" value={formatEnergyKwh(k.tradedEnergyWh / 1000)} />
            <Stat
              label="Volume-weighted price"
              value={formatPricePerKwh(k.volumeWeightedPricePerKwh, currency)}
              detail={`${formatPricePerKwh(k.minPricePerKwh, currency)} to ${formatPricePerKwh(k.maxPricePerKwh, currency)}`}
            />
            <Stat
              label="Peak community import"
              value={formatEnergyKwh(
                k.peakCommunityImportWh === null ? null : k.peakCommunityImportWh / 1000,
              )}
              detail={
                k.peakSlotStartMs === null ? 'in one slot' : `slot of ${formatDateTime(k.peakSlotStartMs)}`
              }
            />
            <Stat label="Participants bidding" value={String(k.participants)} detail="a count only" />
          </div>
        )}
      </Panel>
      <RegulatorFairness {...props} prices={prices} />
      <Panel
        title="Price volatility"
        subtitle={`Clearing price of the cleared slots, up to the last ${PRICED_SLOTS}`}
        resource={prices}
        isEmpty={(p) => p.length === 0}
        empty="No slot has cleared yet: prices appear as each slot clears at its gate."
        testId="regulator-volatility"
      >
        {(p) => {
          const v = priceVolatility(p.map((s) => s.pricePerKwh));
          return (
            <>
              <div class="stats">
                <Stat label="Mean" value={formatPricePerKwh(v?.meanPerKwh, currency)} />
                <Stat label="Standard deviation" value={formatPricePerKwh(v?.stdDevPerKwh, currency)} />
                <Stat
                  label="Mean change per slot"
                  value={formatPricePerKwh(v?.meanAbsChangePerKwh, currency)}
                />
                <Stat
                  label="Range"
                  value={formatPricePerKwh((v?.maxPerKwh ?? NaN) - (v?.minPerKwh ?? NaN), currency)}
                  detail={`${formatPricePerKwh(v?.minPerKwh, currency)} to ${formatPricePerKwh(v?.maxPerKwh, currency)}`}
                />
              </div>
              <TimeChart
                timesMs={p.map((s) => s.slotStartMs)}
                series={[
                  {
                    label: `Price (${currency}/kWh)`,
                    values: p.map((s) => s.pricePerKwh),
                    color: '#0b6bcb',
                    stepped: true,
                  },
                ]}
                leftUnit={`${currency}/kWh`}
                height={200}
              />
            </>
          );
        }}
      </Panel>
    </>
  );
}

/** The clearing prices of the recent cleared slots, oldest first; each slot's result is read once. */
function useSlotPrices(props: RoleViewProps) {
  const { api } = useApp();
  const { marketId, periodMs } = props;
  const known = useRef(new Map<number, number>());
  return useResource(
    async (): Promise<SlotPrice[]> => {
      const nowMs = props.nowMs();
      const slots = await dataOf(
        api.GET('/api/markets/{marketId}/slots', {
          params: {
            path: { marketId },
            query: { fromMs: nowMs - (PRICED_SLOTS + 2) * periodMs, toMs: nowMs + periodMs },
          },
        }),
      );
      const cleared = slots
        .filter((s) => s.status === 'cleared')
        .sort((a, b) => b.startMs - a.startMs)
        .slice(0, PRICED_SLOTS);
      await Promise.all(
        cleared
          .filter((s) => !known.current.has(s.startMs))
          .map(async (s) => {
            const result = await dataOf(
              api.GET('/api/markets/{marketId}/slots/{slotStartMs}/result', {
                params: { path: { marketId, slotStartMs: s.startMs } },
              }),
            );
            if (Number.isFinite(result.price)) known.current.set(s.startMs, result.price);
          }),
      );
      return cleared
        .filter((s) => known.current.has(s.startMs))
        .map((s) => ({ slotStartMs: s.startMs, pricePerKwh: known.current.get(s.startMs) as number }))
        .reverse();
    },
    [marketId, periodMs],
    { refreshOn: ['slot-cleared'], minIntervalMs: 5_000 },
  );
}
