/**
 * One device's history (/fleet/<deviceId>): the price it expected, its bid, the slot's clearing price
 * and its power against its bid quantity, so a reader sees why it acted; for thermal and storage
 * devices, its temperature or state of charge against its comfort band below.
 */
import { useState } from 'preact/hooks';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { TimeChart, type TimeSeries } from '../components/time-chart';
import { comfortSeries, hasValues, priceSeries } from '../fleet/device-history';
import { fetchDeviceHistory, platformNowMs, type DeviceHistory } from '../fleet/fleet-contract';
import { formatDateTime, formatNumber, formatPowerKw, formatPricePerKwh } from '../format';
import { useResource } from '../hooks/use-resource';
import { followLink } from '../router';

const HOUR_MS = 3_600_000;
const RANGES: readonly { label: string; ms: number }[] = [
  { label: 'Last 6 hours', ms: 6 * HOUR_MS },
  { label: 'Last 24 hours', ms: 24 * HOUR_MS },
  { label: 'Last 3 days', ms: 72 * HOUR_MS },
];

export function DeviceHistoryView({ deviceId }: { deviceId: string }) {
  const { api } = useApp();
  const [rangeMs, setRangeMs] = useState(24 * HOUR_MS);
  const history = useResource(
    async () => {
      // The demo's clock runs ahead of this browser's: the window ends at the platform's now.
      const nowMs = await platformNowMs(api);
      return fetchDeviceHistory(api, deviceId, nowMs - rangeMs, nowMs + HOUR_MS);
    },
    [api, deviceId, rangeMs],
    { refreshOn: ['telemetry-received'], minIntervalMs: 5_000 },
  );
  const back = (
    <a href="/fleet" onClick={(e) => followLink(e, '/fleet')} class="back-link" data-testid="fleet-back">
      ← All devices
    </a>
  );
  const rangePicker = (
    <select
      aria-label="Time range"
      value={String(rangeMs)}
      onChange={(e) => setRangeMs(Number((e.currentTarget as HTMLSelectElement).value))}
    >
      {RANGES.map((r) => (
        <option key={r.ms} value={String(r.ms)}>
          {r.label}
        </option>
      ))}
    </select>
  );
  return (
    <>
      <Panel
        title={`Device ${deviceId}`}
        subtitle={
          history.data === undefined
            ? 'Its telemetry over time'
            : `${history.data.kind} of ${history.data.participantId}`
        }
        resource={history}
        isEmpty={(h) => h.samples.length === 0}
        empty="This device has not reported in this time range: pick a longer range, or wait for its next report after the coming slot."
        actions={
          <>
            {back}
            {rangePicker}
          </>
        }
        wide
        testId="device-history"
      >
        {(h) => <DeviceCharts history={h} />}
      </Panel>
    </>
  );
}

function DeviceCharts({ history }: { history: DeviceHistory }) {
  const prices = priceSeries(history.samples);
  const comfort = comfortSeries(history.samples);
  const latest = history.samples[history.samples.length - 1];
  return (
    <div class="device-charts">
      {latest !== undefined && (
        <div class="stats">
          <Stat
            label="Power"
            value={formatPowerKw(latest.powerKw)}
            detail={latest.state ?? 'latest report'}
          />
          <Stat label="Expected price" value={formatPricePerKwh(latest.expectedPricePerKwh)} />
          <Stat
            label="Last bid"
            value={formatPricePerKwh(latest.bidPricePerKwh)}
            detail={latest.bidQuantityKw === undefined ? undefined : formatPowerKw(latest.bidQuantityKw)}
          />
          <Stat
            label="Samples"
            value={String(history.samples.length)}
            detail={`last ${formatDateTime(latest.timeMs)}`}
          />
        </div>
      )}
      <h3 class="chart-title">Prices and power</h3>
      <div data-testid="device-price-points" data-points={prices.timesMs.length} />
      <TimeChart
        timesMs={prices.timesMs}
        series={(
          [
            {
              label: 'Expected price',
              values: prices.expectedPricePerKwh,
              color: '#5d6678',
              dash: [5, 4],
            },
            { label: 'Bid price', values: prices.bidPricePerKwh, color: '#8250df' },
            { label: 'Clearing price', values: prices.clearingPricePerKwh, color: '#0b6bcb', stepped: true },
            { label: 'Power kW', values: prices.powerKw, color: '#d9622b', axis: 'right' },
            {
              label: 'Bid kW (plan)',
              values: prices.bidQuantityKw,
              color: '#2b8a3e',
              axis: 'right',
              dash: [2, 3],
            },
          ] satisfies TimeSeries[]
        ).filter((s) => hasValues(s.values))}
        leftUnit="price /kWh"
        rightUnit="kW"
        testId="device-price-chart"
      />
      <p class="chart-note" data-testid="device-legend">
        {comfort?.kind === 'temperature'
          ? 'Why it acted: it bids above the expected price when it is near the top of its comfort band (it must run soon), and below it when it has room to wait; it runs in the slots whose clearing price is at or below its bid.'
          : comfort?.kind === 'soc'
            ? 'Why it acted: it buys (charges) in slots cleared below the price it expects and sells (discharges) in slots cleared above it, keeping its state of charge within bounds.'
            : 'Why it acted: it bids against the price it expects (the mean of recent clearing prices) and runs in the slots whose clearing price meets its bid.'}{' '}
        Power is load reference: positive consumes, negative produces.
      </p>
      {comfort !== undefined && (
        <>
          <h3 class="chart-title">
            {comfort.kind === 'temperature' ? 'Temperature and comfort band' : 'State of charge'}
          </h3>
          <TimeChart
            timesMs={comfort.timesMs}
            series={
              comfort.kind === 'temperature'
                ? [
                    { label: 'Temperature °F', values: comfort.value, color: '#d9622b' },
                    { label: 'Comfort low °F', values: comfort.lowF, color: '#1a7f4b', dash: [6, 4] },
                    { label: 'Comfort high °F', values: comfort.highF, color: '#c0392b', dash: [6, 4] },
                    { label: 'Setpoint °F', values: comfort.setpointF, color: '#5d6678', dash: [2, 3] },
                  ].filter((s) => hasValues(s.values))
                : [{ label: 'State of charge %', values: comfort.value, color: '#2b8a3e' }]
            }
            leftUnit={comfort.kind === 'temperature' ? '°F' : '%'}
            height={200}
            testId="device-comfort-chart"
          />
          {comfort.kind === 'temperature' && (
            <p class="chart-note">
              Now {formatNumber(comfort.value[comfort.value.length - 1], 1)} °F; the dashed lines are the
              occupant's comfort band, which the comfort slider widens or narrows.
            </p>
          )}
        </>
      )}
    </div>
  );
}
