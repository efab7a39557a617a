/**
 * Fairness across households, from pseudonymous meter readings and clearing prices only: what each
 * meter paid on average per kWh it imported, the Gini coefficient of that price (0: everyone paid the
 * same price; towards 1: a few paid far more), and a histogram of each meter's net energy cost.
 */
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { formatMoney, formatNumber, formatPricePerKwh } from '../format';
import type { Resource } from '../hooks/use-resource';
import { useResource } from '../hooks/use-resource';
import { gini, histogram, meterCosts, shortPseudonym, type HistogramBin } from '../roles/fairness';
import type { SlotPrice } from './regulator-view';
import type { RoleViewProps } from './role-view';

const BINS = 10;

export function RegulatorFairness(props: RoleViewProps & { prices: Resource<SlotPrice[]> }) {
  const { api } = useApp();
  const currency = props.rules?.currency ?? 'USD';
  const prices = props.prices.data;
  const fairness = useResource(async () => {
    // null: the prices are still loading; no cleared slot yet gives an empty result.
    if (prices === undefined) return null;
    const fromMs = prices[0]?.slotStartMs as number;
    const toMs = (prices[prices.length - 1]?.slotStartMs as number) + props.periodMs;
    const answer = await dataOf(
      api.GET('/api/meter-readings/anonymised', { params: { query: { fromMs, toMs, limit: 50_000 } } }),
    );
    const priceBySlot = new Map(prices.map((p) => [p.slotStartMs, p.pricePerKwh]));
    const costs = meterCosts(answer.readings, priceBySlot);
    const paid = costs.flatMap((c) => (c.pricePaidPerKwh === undefined ? [] : [c.pricePaidPerKwh]));
    return {
      costs,
      giniOfPrice: gini(paid),
      bins: histogram(
        costs.map((c) => c.netCost),
        BINS,
      ),
      truncated: answer.truncated,
      slots: prices.length,
    };
  }, [prices, props.periodMs]);

  return (
    <Panel
      title="Fairness across households"
      subtitle="Each meter’s energy at the slots’ clearing prices (imports paid, exports credited; fees and distribution charges left out), under pseudonymous ids"
      resource={fairness}
      isEmpty={(data) => data !== null && data.costs.length === 0}
      empty="No priced meter reading yet: meters report each slot when it ends, and a reading is priced once its slot has cleared."
      wide
      testId="regulator-fairness"
    >
      {(data) => {
        if (data === null) {
          return (
            <p class="panel-state" role="status">
              Loading…
            </p>
          );
        }
        const sorted = [...data.costs].sort(
          (a, b) => (b.pricePaidPerKwh ?? -Infinity) - (a.pricePaidPerKwh ?? -Infinity),
        );
        return (
          <>
            <div class="stats">
              <Stat
                label="Gini of price paid per kWh"
                value={formatNumber(data.giniOfPrice, 3)}
                detail="0 = all paid the same"
                testId="fairness-gini"
              />
              <Stat
                label="Meters"
                value={String(data.costs.length)}
                detail={`over ${data.slots} cleared slots`}
              />
              <Stat
                label="Median net cost"
                value={formatMoney(median(data.costs.map((c) => c.netCost)), currency)}
                detail="per meter, energy only"
              />
            </div>
            {data.truncated && (
              <p class="hint">More readings matched than one request returns; the first 50,000 are used.</p>
            )}
            <div class="role-columns">
              <Histogram bins={data.bins} currency={currency} />
              <div class="table-scroll fairness-table">
                <table class="data" data-testid="fairness-meters">
                  <thead>
                    <tr>
                      <th>Meter (pseudonym)</th>
                      <th class="num">Price paid</th>
                      <th class="num">Net cost</th>
                    </tr>
                  </thead>
                  <tbody>
                    {sorted.map((c) => (
                      <tr key={c.pseudonym}>
                        <td>
                          <code>{shortPseudonym(c.pseudonym)}</code>
                        </td>
                        <td class="num">{formatPricePerKwh(c.pricePaidPerKwh, currency)}</td>
                        <td class="num">{formatMoney(c.netCost, currency)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </div>
          </>
        );
      }}
    </Panel>
  );
}

function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? sorted[middle]
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Meters per band of net energy cost, as SVG bars. */
function Histogram({ bins, currency }: { bins: readonly HistogramBin[]; currency: string }) {
  const width = 420;
  const height = 200;
  const pad = { left: 36, right: 8, top: 8, bottom: 44 };
  const maxCount = Math.max(1, ...bins.map((b) => b.count));
  const barWidth = (width - pad.left - pad.right) / Math.max(1, bins.length);
  const y = (count: number) => pad.top + (height - pad.top - pad.bottom) * (1 - count / maxCount);
  return (
    <figure class="histogram" data-testid="fairness-histogram">
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label="Meters by net energy cost">
        <line x1={pad.left} x2={width - pad.right} y1={y(0)} y2={y(0)} stroke="#dfe3ea" />
        <text x={pad.left - 6} y={y(maxCount) + 4} text-anchor="end" font-size="11" fill="#5d6678">
          {maxCount}
        </text>
        <text x={pad.left - 6} y={y(0)} text-anchor="end" font-size="11" fill="#5d6678">
          0
        </text>
        {bins.map((bin, i) => (
          <g key={i}>
            <rect
              x={pad.left + i * barWidth + 1}
              y={y(bin.count)}
              width={Math.max(1, barWidth - 2)}
              height={y(0) - y(bin.count)}
              fill="#0b6bcb"
            >
              <title>
                {bin.count} meters, {formatMoney(bin.fromValue, currency)} to{' '}
                {formatMoney(bin.toValue, currency)}
              </title>
            </rect>
            {(i === 0 || i === bins.length - 1 || i === Math.floor(bins.length / 2)) && (
              <text
                x={pad.left + (i + 0.5) * barWidth}
                y={height - pad.bottom + 14}
                text-anchor="middle"
                font-size="10"
                fill="#5d6678"
              >
                {formatMoney((bin.fromValue + bin.toValue) / 2, currency)}
              </text>
            )}
          </g>
        ))}
        <text x={(width + pad.left) / 2} y={height - 8} text-anchor="middle" font-size="11" fill="#5d6678">
          net energy cost per meter ({currency}); bar height: meters
        </text>
      </svg>
    </figure>
  );
}
