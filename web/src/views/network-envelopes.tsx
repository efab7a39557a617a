/**
 * Operating envelopes set by the DSO or the utility: import and export limits for one participant (or
 * all) in a slot still open for orders, published by the platform as OpenADR events targeted to each
 * participant (PUT /api/markets/{id}/slots/{s}/envelopes).
 */
import { useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { ErrorNotice, Panel } from '../components/panel';
import { formatTime } from '../format';
import { useResource } from '../hooks/use-resource';
import { envelopeBody } from '../roles/envelope-form';
import type { RoleViewProps } from './role-view';

const ALL = '*';

export function NetworkEnvelopes(props: RoleViewProps) {
  const { api } = useApp();
  const { marketId, periodMs } = props;
  const choices = useResource(
    async () => {
      const nowMs = props.nowMs();
      const [slots, participants] = await Promise.all([
        dataOf(
          api.GET('/api/markets/{marketId}/slots', {
            params: { path: { marketId }, query: { fromMs: nowMs - periodMs, toMs: nowMs + 12 * periodMs } },
          }),
        ),
        dataOf(api.GET('/api/participants', { params: { query: { limit: 10_000 } } })),
      ]);
      return {
        slots: slots.filter((s) => s.status === 'open').sort((a, b) => a.startMs - b.startMs),
        participants: participants
          .filter((p) => p.role !== 'market-operator')
          .sort((a, b) => (a.id < b.id ? -1 : 1)),
      };
    },
    [marketId, periodMs],
    { refreshOn: ['slot-opened', 'slot-closed'], minIntervalMs: 1_000 },
  );
  const [slotMs, setSlotMs] = useState('');
  const [participant, setParticipant] = useState('');
  const [importKw, setImportKw] = useState('');
  const [exportKw, setExportKw] = useState('');
  const [sending, setSending] = useState(false);
  const [outcome, setOutcome] = useState<{ error?: unknown; message?: string }>({});

  return (
    <Panel
      title="Operating envelopes"
      subtitle="Limit a participant’s import or export in a slot still open for orders; the platform sends each limit to the participant as an OpenADR event"
      resource={choices}
      isEmpty={(c) => c.slots.length === 0 || c.participants.length === 0}
      empty="No slot is open for orders right now: the operator opens the next slots ahead of time; this form fills then."
      testId="network-envelopes"
    >
      {(c) => {
        // The furthest open slot by default: the nearest may close before the form is sent.
        const chosenSlot = c.slots.find((s) => String(s.startMs) === slotMs) ?? c.slots[c.slots.length - 1];
        const chosen = participant === '' ? (c.participants[0]?.id ?? '') : participant;
        const submit = async () => {
          if (chosenSlot === undefined) return;
          const ids = chosen === ALL ? c.participants.map((p) => p.id) : [chosen];
          const body = envelopeBody(ids, importKw, exportKw);
          if (!body.ok) {
            setOutcome({ error: new Error(body.error) });
            return;
          }
          setSending(true);
          setOutcome({});
          try {
            const answer = await dataOf(
              api.PUT('/api/markets/{marketId}/slots/{slotStart}/envelopes', {
                params: { path: { marketId, slotStart: chosenSlot.startMs } },
                body: body.body,
              }),
            );
            setOutcome({
              message: `Published ${answer.events.length} OpenADR event${answer.events.length === 1 ? '' : 's'} for the slot at ${formatTime(answer.slotStartMs)}.`,
            });
          } catch (error) {
            setOutcome({ error });
          } finally {
            setSending(false);
          }
        };
        return (
          <form
            class="envelope-form"
            onSubmit={(e) => {
              e.preventDefault();
              void submit();
            }}
          >
            <label>
              Slot
              <select
                value={String(chosenSlot?.startMs ?? '')}
                onChange={(e) => setSlotMs(e.currentTarget.value)}
                data-testid="envelope-slot"
              >
                {c.slots.map((s) => (
                  <option key={s.startMs} value={String(s.startMs)}>
                    {formatTime(s.startMs)} (gate {formatTime(s.gateClosureMs)})
                  </option>
                ))}
              </select>
            </label>
            <label>
              Participant
              <select
                value={chosen}
                onChange={(e) => setParticipant(e.currentTarget.value)}
                data-testid="envelope-participant"
              >
                <option value={ALL}>All {c.participants.length} participants</option>
                {c.participants.map((p) => (
                  <option key={p.id} value={p.id}>
                    {p.id}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Import limit (kW)
              <input
                inputMode="decimal"
                value={importKw}
                placeholder="no limit"
                onInput={(e) => setImportKw(e.currentTarget.value)}
                data-testid="envelope-import"
              />
            </label>
            <label>
              Export limit (kW)
              <input
                inputMode="decimal"
                value={exportKw}
                placeholder="no limit"
                onInput={(e) => setExportKw(e.currentTarget.value)}
                data-testid="envelope-export"
              />
            </label>
            <button type="submit" class="primary" disabled={sending} data-testid="envelope-submit">
              {sending ? 'Publishing…' : 'Publish'}
            </button>
            {outcome.message !== undefined && (
              <p class="notice notice-ok" role="status" data-testid="envelope-published">
                {outcome.message}
              </p>
            )}
            {outcome.error !== undefined && <ErrorNotice error={outcome.error} compact />}
          </form>
        );
      }}
    </Panel>
  );
}
