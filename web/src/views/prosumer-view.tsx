/**
 * A prosumer's own home (also a facility manager's or a DER developer's own site): its bill and
 * earnings from its ledger statement, its comfort slider, and its metered history with CSV exports.
 * Only the caller's own participant is ever asked for.
 */
import { useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import type { paths } from '../api/schema';
import { useApp } from '../app-context';
import { EmptyState, Panel, Stat } from '../components/panel';
import { formatDateTime, formatMoneyMinor } from '../format';
import { useResource } from '../hooks/use-resource';
import { recentWindow } from '../roles/demo-clock';
import { billSummary } from '../roles/statement-summary';
import { ProsumerComfort } from './prosumer-comfort';
import { ProsumerHistory } from './prosumer-history';
import type { RoleViewProps } from './role-view';

type StatementJson = Exclude<
  paths['/api/participants/{participantId}/statement']['get']['responses'][200]['content']['application/json'],
  string
>;

/** The bill and history cover the last day up to the current slot. */
export const PROSUMER_WINDOW_HOURS = 24;

export function ProsumerView(props: RoleViewProps) {
  const { session } = useApp();
  const participantId = session.participantId;
  if (participantId === undefined) {
    return (
      <EmptyState text="This login acts for no participant, so there is no bill or home to show. Ask the market operator for a client bound to your participant." />
    );
  }
  return (
    <>
      <ProsumerBill {...props} participantId={participantId} />
      <ProsumerComfort participantId={participantId} />
      <ProsumerHistory {...props} participantId={participantId} />
    </>
  );
}

function ProsumerBill(props: RoleViewProps & { participantId: string }) {
  const { api } = useApp();
  const { participantId } = props;
  const [downloadError, setDownloadError] = useState<unknown>(undefined);
  const statement = useResource(
    async () => {
      const window = recentWindow(props.nowMs(), props.periodMs, PROSUMER_WINDOW_HOURS);
      // The route answers JSON or CSV; without format=csv it is the JSON statement.
      const body = (await dataOf(
        api.GET('/api/participants/{participantId}/statement', {
          params: { path: { participantId }, query: window },
        }),
      )) as StatementJson;
      return { window, body, summary: billSummary(body) };
    },
    [participantId, props.periodMs],
    { refreshOn: ['slot-settled'], minIntervalMs: 5_000 },
  );
  const currency = statement.data?.body.currency.code ?? 'USD';

  const downloadCsv = async () => {
    const window = statement.data?.window;
    if (window === undefined) return;
    setDownloadError(undefined);
    try {
      const text = String(
        await dataOf(
          api.GET('/api/participants/{participantId}/statement', {
            params: { path: { participantId }, query: { ...window, format: 'csv' } },
            parseAs: 'text',
          }),
        ),
      );
      saveText(text, `statement-${participantId}-${new Date(window.fromMs).toISOString().slice(0, 10)}.csv`);
    } catch (error) {
      setDownloadError(error);
    }
  };

  return (
    <Panel
      title="My bill and earnings"
      subtitle={
        statement.data === undefined
          ? 'From your ledger statement'
          : `From your ledger statement, ${formatDateTime(statement.data.window.fromMs)} to ${formatDateTime(statement.data.window.toMs)}; it grows as each slot is settled`
      }
      resource={statement}
      wide
      testId="prosumer-bill"
      actions={
        <button type="button" onClick={() => void downloadCsv()} data-testid="statement-csv">
          Statement CSV
        </button>
      }
    >
      {({ window, summary, body }) => (
        <>
          <div
            class="stats"
            data-testid="bill"
            data-from-ms={String(window.fromMs)}
            data-to-ms={String(window.toMs)}
          >
            <Stat
              label="Net over the period"
              value={formatMoneyMinor(summary.netMinor, currency)}
              detail={summary.netMinor < 0 ? 'you owe' : 'in your favour'}
              tone={summary.netMinor < 0 ? 'bad' : 'good'}
              testId="bill-net"
            />
            <Stat
              label="Energy bought"
              value={formatMoneyMinor(summary.energyBoughtMinor, currency)}
              detail="fees and margin included"
              testId="bill-bought"
            />
            <Stat
              label="Energy sold"
              value={formatMoneyMinor(summary.energySoldMinor, currency)}
              testId="bill-sold"
            />
            <Stat
              label="Other charges"
              value={formatMoneyMinor(summary.chargesMinor, currency)}
              detail="distribution, imbalance"
              testId="bill-charges"
            />
            <Stat
              label="Credits"
              value={formatMoneyMinor(summary.creditsMinor, currency)}
              detail="imbalance, adjustments"
              testId="bill-credits"
            />
            <Stat
              label="Balance"
              value={formatMoneyMinor(body.closingBalanceMinor, currency)}
              detail={`${summary.lines} ledger lines`}
              testId="bill-balance"
            />
          </div>
          {summary.lines === 0 && (
            <EmptyState text="No settled slot in this period yet: each slot is settled one market period after it ends, and its lines appear here." />
          )}
          {downloadError !== undefined && (
            <p class="notice notice-error notice-compact" role="alert">
              The statement CSV could not be downloaded; try again.
            </p>
          )}
        </>
      )}
    </Panel>
  );
}

/** Hands text to the browser as a file download. */
export function saveText(text: string, fileName: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
