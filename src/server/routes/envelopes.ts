/**
 * Operating envelopes: a DSO (or the market operator) sets per-participant import and export limits for
 * a slot, and the VTN publishes each as an OpenADR event targeted to that participant
 * (src/openadr3/market/envelope-publishing.ts; docs/protocols/openadr3.md, The market on OpenADR).
 */
import { Type } from '@sinclair/typebox';
import { publishEnvelopes } from '../../openadr3/market/envelope-publishing.js';
import { requireScope } from '../access/participant-scope.js';
import { callerOf } from '../auth/authenticate.js';
import { problemResponses } from '../problem.js';
import type { TypedApp } from '../route-context.js';
import { BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

export const MAX_ENVELOPES_PER_REQUEST = 1000;

const LimitSchema = Type.Union([Type.Number({ minimum: 0, maximum: 1e6 }), Type.Null()], {
  description: 'kW (a magnitude); null or absent: no limit',
});

export function registerEnvelopeRoutes(app: TypedApp): void {
  app.put(
    '/api/markets/:marketId/slots/:slotStart/envelopes',
    {
      schema: {
        operationId: 'putOperatingEnvelopes',
        summary: 'Publish per-participant import/export limits for a slot as OpenADR events (DSO)',
        tags: ['markets'],
        security: BEARER,
        params: Type.Object(
          { marketId: IdSchema, slotStart: EpochMsSchema },
          { additionalProperties: false },
        ),
        body: Type.Object(
          {
            envelopes: Type.Array(
              Type.Object(
                {
                  participantId: IdSchema,
                  importLimitKw: Type.Optional(LimitSchema),
                  exportLimitKw: Type.Optional(LimitSchema),
                },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: MAX_ENVELOPES_PER_REQUEST },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              marketId: Type.String(),
              slotStartMs: Type.Integer(),
              events: Type.Array(
                Type.Object(
                  { participantId: Type.String(), eventId: Type.String(), eventName: Type.String() },
                  { additionalProperties: false },
                ),
              ),
            },
            { additionalProperties: false },
          ),
          ...problemResponses(404),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      requireScope(caller, 'envelopes:write');
      const { marketId, slotStart } = request.params;
      const events = await publishEnvelopes(
        app.openadr3Objects,
        caller,
        marketId,
        slotStart,
        request.body.envelopes,
      );
      return { marketId, slotStartMs: slotStart, events };
    },
  );
}
