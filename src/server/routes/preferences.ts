/**
 * A participant's preferences: the comfort slider (0 = most comfort, 1 = most savings) its transactive
 * thermostats and water heater bid by. The owner, its aggregator and the market operator read and set it;
 * a change is audited and published as `preferences-changed`, which the demo homes follow from their next
 * bid (and which the event stream shows only to callers whose scope covers the participant).
 */
import { Type } from '@sinclair/typebox';
import {
  readParticipantPreferences,
  writeParticipantPreferences,
} from '../../store/participant-preferences-repository.js';
import { requireParticipantAccess } from '../access/participant-scope.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { notFound, problemResponses } from '../problem.js';
import { findParticipant } from '../queries/registry-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

/** What a participant that never set its preferences gets: the scenario schema's default population mean. */
export const DEFAULT_COMFORT_SLIDER = 0.5;

const ComfortSliderSchema = Type.Number({
  minimum: 0,
  maximum: 1,
  description: '0 = most comfort (no flexibility), 1 = most savings (the full flexibility range)',
});

const PreferencesSchema = Type.Object(
  {
    participantId: IdSchema,
    comfortSlider: ComfortSliderSchema,
    updatedMs: Type.Optional({ ...EpochMsSchema, description: 'when it was last set; absent: never set' }),
  },
  { additionalProperties: false },
);

const Params = Type.Object({ participantId: IdSchema }, { additionalProperties: false });

export function registerPreferenceRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/participants/:participantId/preferences',
    {
      schema: {
        operationId: 'getPreferences',
        summary: `A participant's preferences (comfort slider ${DEFAULT_COMFORT_SLIDER} when never set)`,
        tags: ['participants'],
        security: BEARER,
        params: Params,
        response: { 200: PreferencesSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { participantId } = request.params;
      await requireParticipantAccess(ctx.db, callerOf(request), 'preferences:read', participantId);
      const stored = await readParticipantPreferences(ctx.db, participantId);
      if (stored !== undefined) return stored;
      if ((await findParticipant(ctx.db, participantId)) === undefined) {
        throw notFound(`no participant '${participantId}'`, 'params.participantId');
      }
      return { participantId, comfortSlider: DEFAULT_COMFORT_SLIDER };
    },
  );

  app.put(
    '/api/participants/:participantId/preferences',
    {
      schema: {
        operationId: 'putPreferences',
        summary: "Set a participant's preferences; publishes preferences-changed",
        tags: ['participants'],
        security: BEARER,
        params: Params,
        body: Type.Object({ comfortSlider: ComfortSliderSchema }, { additionalProperties: false }),
        response: { 200: PreferencesSchema, ...problemResponses(404, 413, 415) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { participantId } = request.params;
      const { comfortSlider } = request.body;
      await requireParticipantAccess(ctx.db, caller, 'preferences:write', participantId);
      if ((await findParticipant(ctx.db, participantId)) === undefined) {
        throw notFound(`no participant '${participantId}'`, 'params.participantId');
      }
      const updatedMs = ctx.clock.nowMs();
      const preferences = { participantId, comfortSlider, updatedMs };
      await writeParticipantPreferences(ctx.db, preferences);
      await recordAudit(ctx, caller, 'preferences-changed', `participants/${participantId}`, {
        comfortSlider,
      });
      ctx.events.publish({ type: 'preferences-changed', participantId, comfortSlider }, updatedMs);
      return preferences;
    },
  );
}
