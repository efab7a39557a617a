/**
 * The comfort slider (contract A): how far the home's thermostats and water heater may trade comfort
 * for price. 0 is most comfort (they hold the setpoint whatever the price), 1 most savings (the full
 * flexibility band). The home reads it when it bids, so a change applies from the next slot.
 */
import { useEffect, useState } from 'preact/hooks';
import { dataOf } from '../api/client';
import { useApp } from '../app-context';
import { ErrorNotice, Panel } from '../components/panel';
import { formatDateTime, formatPercent } from '../format';
import { useResource } from '../hooks/use-resource';

export function ProsumerComfort({ participantId }: { participantId: string }) {
  const { api } = useApp();
  const preferences = useResource(
    () =>
      dataOf(
        api.GET('/api/participants/{participantId}/preferences', { params: { path: { participantId } } }),
      ),
    [participantId],
    { refreshOn: ['preferences-changed'] },
  );
  const [draft, setDraft] = useState<number | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<number | undefined>(undefined);
  const [error, setError] = useState<unknown>(undefined);
  const stored = preferences.data?.comfortSlider;
  useEffect(() => setDraft(undefined), [stored]);

  const save = async (comfortSlider: number) => {
    setSaving(true);
    setError(undefined);
    try {
      const answer = await dataOf(
        api.PUT('/api/participants/{participantId}/preferences', {
          params: { path: { participantId } },
          body: { comfortSlider },
        }),
      );
      setSaved(answer.comfortSlider);
      preferences.reload();
    } catch (problem) {
      setError(problem);
    } finally {
      setSaving(false);
    }
  };

  return (
    <Panel
      title="Comfort or savings"
      subtitle="More comfort: your air conditioning bids higher to hold your setpoint. More savings: it lets the temperature drift within your comfort band when power is dear."
      resource={preferences}
      testId="prosumer-comfort"
    >
      {(data) => {
        const value = draft ?? data.comfortSlider;
        return (
          <form
            class="comfort"
            onSubmit={(e) => {
              e.preventDefault();
              void save(value);
            }}
          >
            <div class="comfort-scale">
              <span>More comfort</span>
              <input
                type="range"
                min="0"
                max="1"
                step="0.05"
                value={String(value)}
                aria-label="Comfort or savings"
                data-testid="comfort-slider"
                onInput={(e) => {
                  setSaved(undefined);
                  setDraft(Number(e.currentTarget.value));
                }}
              />
              <span>More savings</span>
            </div>
            <p class="comfort-value">
              Flexibility used: <strong data-testid="comfort-value">{formatPercent(value * 100)}</strong>
              {data.updatedMs === undefined
                ? ' (never set: the default)'
                : ` (last saved ${formatDateTime(data.updatedMs)})`}
            </p>
            <button
              type="submit"
              class="primary"
              disabled={saving || value === data.comfortSlider}
              data-testid="comfort-save"
            >
              {saving ? 'Saving…' : 'Save'}
            </button>
            {saved !== undefined && draft === undefined && (
              <p class="notice notice-ok" role="status" data-testid="comfort-saved">
                Saved: {formatPercent(saved * 100)} flexibility. Your home follows it from the next slot.
              </p>
            )}
            {error !== undefined && <ErrorNotice error={error} compact />}
          </form>
        );
      }}
    </Panel>
  );
}
