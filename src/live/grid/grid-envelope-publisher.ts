/**
 * Sends the live feeder's operating envelopes to the participants (`grid.publishEnvelopes`): after each
 * solve, the leader publishes every connection's import and export limit for the next slot as the DSO,
 * through the same path as `PUT /api/markets/{id}/slots/{slot}/envelopes`: one OpenADR event per
 * participant, which the IEEE 2030.5 server also serves as a DERControl (CSIP-AUS limits with
 * `ieee2030_5.siteLimits: csip-aus`). This is how a distributor runs dynamic operating envelopes: the limits
 * follow the feeder's measured state slot by slot, with no person in the loop.
 */
import { marketSettings } from '../../openadr3/market/cleared-slots.js';
import { publishEnvelopes, type EnvelopeInput } from '../../openadr3/market/envelope-publishing.js';
import type { VtnObjects } from '../../openadr3/vtn-objects.js';
import type { Caller } from '../../server/auth/tokens.js';
import { registeredParticipantIds } from '../../store/registry-repository.js';
import type { GridState } from './grid-state.js';

/** Who the audit trail names for envelopes the platform publishes itself. */
export const GRID_MONITOR_CALLER: Caller = {
  clientId: 'grid-monitor',
  role: 'dso',
  participantId: undefined,
};

export interface PublishedGridEnvelopes {
  readonly slotStartMs: number;
  readonly published: number;
  /** Connections without a registered participant: their meters feed the solve, but nobody receives a limit. */
  readonly unregistered: readonly string[];
}

/**
 * Publishes a solved state's envelopes for the slot after the one running at `nowMs`. A state that did not
 * converge has no limits to send; the previous slot's events simply expire.
 */
export async function publishSolvedEnvelopes(
  objects: VtnObjects,
  state: GridState,
  nowMs: number,
): Promise<PublishedGridEnvelopes | null> {
  const market = await marketSettings(objects.db, state.marketId);
  if (market === undefined) return null;
  const slotStartMs = (Math.floor(nowMs / market.slotDurationMs) + 1) * market.slotDurationMs;
  const limited: EnvelopeInput[] = state.envelopes.filter(
    (e) => e.importLimitKw !== null || e.exportLimitKw !== null,
  );
  if (!state.converged || limited.length === 0) return { slotStartMs, published: 0, unregistered: [] };
  const ids = limited.map((e) => e.participantId);
  const registered = await registeredParticipantIds(objects.db, ids);
  const envelopes = limited.filter((e) => registered.has(e.participantId));
  const unregistered = ids.filter((id) => !registered.has(id));
  if (envelopes.length === 0) return { slotStartMs, published: 0, unregistered };
  const published = await publishEnvelopes(
    objects,
    GRID_MONITOR_CALLER,
    state.marketId,
    slotStartMs,
    envelopes,
  );
  return { slotStartMs, published: published.length, unregistered };
}

/** The grid monitor's `afterSolve` that publishes, logging connections nobody can receive a limit for. */
export function publishGridEnvelopes(
  objects: VtnObjects,
  clock: { nowMs(): number },
  log: (line: string) => void,
): (state: GridState) => Promise<void> {
  return async (state) => {
    const result = await publishSolvedEnvelopes(objects, state, clock.nowMs());
    if (result !== null && result.unregistered.length > 0) {
      log(
        `grid monitor: ${result.unregistered.length} connection(s) have no registered participant and get no envelope (first: ${result.unregistered[0]})`,
      );
    }
  };
}
