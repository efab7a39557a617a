/**
 * The home's metered history: its own meter's readings over the last day as a chart (kWh per slot,
 * import up, export down), the totals, and the readings as CSV built in the browser.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { Panel, Stat } from '../components/panel';
import { TimeChart } from '../components/time-chart';
import { formatDateTime, formatEnergyKwh, formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { recentWindow } from '../roles/demo-clock';
import { energyTotals, readingSeries, readingsCsv, type ReadingLike } from '../roles/meter-history';
import { PROSUMER_WINDOW_HOURS } from './prosumer-view';
import type { RoleViewProps } from './role-view';

export function ProsumerHistory(props: RoleViewProps & { participantId: string }) {
  const { api } = useApp();
  const { participantId } = props;
  const readings = useResource(
    async () => {
      const window = recentWindow(props.nowMs(), props.periodMs, PROSUMER_WINDOW_HOURS);
      const rows = await dataOf(
        api.GET('/api/meter-readings', { params: { query: { meterId: participantId, ...window } } }),
      );
      return { window, rows };
    },
    [participantId, props.periodMs],
    { refreshOn: ['slot-settled', 'slot-cleared'], minIntervalMs: 5_000 },
  );
  const firstSlotMs = Math.floor(props.nowMs() / props.periodMs) * props.periodMs + props.periodMs;
  return (
    <Panel
      title="My energy history"
      subtitle={`Your meter, kWh per ${Math.round(props.periodMs / 60_000)}-minute slot over the last ${PROSUMER_WINDOW_HOURS} hours: import above zero, export below`}
      resource={readings}
      isEmpty={(data) => data.rows.length === 0}
      empty={`No meter reading yet: your meter reports each slot when it ends; the first arrives about ${formatTime(firstSlotMs)}.`}
      wide
      testId="prosumer-history"
    >
      {(data) => <History rows={data.rows} window={data.window} participantId={participantId} />}
    </Panel>
  );
}

function History(props: {
  rows: readonly ReadingLike[];
  window: { fromMs: number; toMs: number };
  participantId: string;
}) {
  const totals = energyTotals(props.rows);
  const series = useMemo(() => readingSeries(props.rows), [props.rows]);
  const csvUrl = useBlobUrl(useMemo(() => readingsCsv(props.rows), [props.rows]));
  return (
    <>
      <div class="stats" data-testid="history-totals">
        <Stat label="Imported" value={formatEnergyKwh(totals.importedKwh)} testId="history-imported" />
        <Stat label="Exported" value={formatEnergyKwh(totals.exportedKwh)} testId="history-exported" />
        <Stat
          label="Net"
          value={formatEnergyKwh(totals.netKwh)}
          detail={totals.netKwh >= 0 ? 'net import' : 'net export'}
          testId="history-net"
        />
        <Stat
          label="Readings"
          value={String(totals.readings)}
          detail={`since ${formatDateTime(props.window.fromMs)}`}
        />
      </div>
      <TimeChart
        timesMs={series.timesMs}
        series={[{ label: 'Energy (kWh)', values: series.energyKwh, color: '#d9622b', stepped: true }]}
        leftUnit="kWh"
        height={220}
        testId="history-chart"
      />
      {csvUrl !== undefined && (
        <p class="downloads">
          <a href={csvUrl} download={`meter-${props.participantId}.csv`} data-testid="readings-csv">
            Download these readings as CSV
          </a>
        </p>
      )}
    </>
  );
}

/** An object URL for the text, revoked when the text changes or the component goes. */
function useBlobUrl(text: string): string | undefined {
  const [url, setUrl] = useState<string | undefined>(undefined);
  useEffect(() => {
    const created = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
    setUrl(created);
    return () => URL.revokeObjectURL(created);
  }, [text]);
  return url;
}
