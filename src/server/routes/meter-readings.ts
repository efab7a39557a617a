/**
 * Meter readings: idempotent batch ingestion for meters the caller may write for, reads by meter, and
 * an anonymised view (pseudonymous meter ids) for oversight. A reading is the energy through the meter
 * over an interval starting at timeMs (import positive, export negative, integer Wh).
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { ingestMeterReadings, readMeterReadings } from '../../store/meter-reading-repository.js';
import { covers, participantsInScope, requireScope } from '../access/participant-scope.js';
import { pseudonymOf } from '../access/pseudonym.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { forbidden, problemResponses } from '../problem.js';
import { readAllMeterReadings } from '../queries/reading-queries.js';
import { meterOwners } from '../queries/registry-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER, EpochMsSchema, IdSchema } from '../schemas.js';

export const MAX_READINGS_PER_REQUEST = 10_000;
const MAX_ANONYMISED_ROWS = 50_000;

const ReadingSchema = Type.Object(
  {
    meterId: IdSchema,
    timeMs: EpochMsSchema,
    energyWh: Type.Integer({
      minimum: -1e12,
      maximum: 1e12,
      description: 'Wh over the interval starting at timeMs; import positive, export negative',
    }),
  },
  { additionalProperties: false },
);

const RangeQuery = {
  fromMs: EpochMsSchema,
  toMs: EpochMsSchema,
};

export function registerMeterReadingRoutes(app: TypedApp, ctx: RouteContext): void {
  app.post(
    '/api/meter-readings',
    {
      bodyLimit: ctx.readingsBodyLimitBytes,
      schema: {
        operationId: 'ingestMeterReadings',
        summary: `Ingest up to ${MAX_READINGS_PER_REQUEST} readings (idempotent by meter and time)`,
        tags: ['meter readings'],
        security: BEARER,
        body: Type.Object(
          { readings: Type.Array(ReadingSchema, { minItems: 1, maxItems: MAX_READINGS_PER_REQUEST }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            { received: Type.Integer(), inserted: Type.Integer(), duplicates: Type.Integer() },
            { additionalProperties: false },
          ),
          ...problemResponses(413, 415),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { readings } = request.body;
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'meter-readings:write'));
      const owners = await meterOwners(
        ctx.db,
        readings.map((r) => r.meterId),
      );
      const problems: TeError[] = [];
      for (const [k, r] of readings.entries()) {
        const owner = owners.get(r.meterId);
        if (owner === undefined) {
          problems.push(
            new TeError('TE_ERR_VALIDATION', `meter '${r.meterId}' is neither a participant nor a device`, {
              path: `readings[${k}].meterId`,
              hint: 'a premises meter has the participant id; register devices before sending their readings',
            }),
          );
        } else if (!covers(allowed, owner)) {
          problems.push(
            forbidden(
              `role '${caller.role}' may not write readings of meter '${r.meterId}'`,
              'send readings of your own meters only',
            ),
          );
        }
        if (problems.length >= 20) break;
      }
      const [first] = problems;
      if (first !== undefined) throw first;
      const ingested = await ingestMeterReadings(ctx.db, readings);
      if (!ingested.ok) throw ingested.error;
      const { received, inserted } = ingested.value;
      if (inserted > 0) {
        const times = readings.map((r) => r.timeMs);
        await recordAudit(ctx, caller, 'meter-readings-ingested', 'meter-readings', {
          received,
          inserted,
          meters: new Set(readings.map((r) => r.meterId)).size,
          fromMs: Math.min(...times),
          toMs: Math.max(...times),
        });
      }
      return { received, inserted, duplicates: received - inserted };
    },
  );

  app.get(
    '/api/meter-readings',
    {
      schema: {
        operationId: 'readMeterReadings',
        summary: 'One meter’s readings in [fromMs, toMs)',
        tags: ['meter readings'],
        security: BEARER,
        querystring: Type.Object({ meterId: IdSchema, ...RangeQuery }, { additionalProperties: false }),
        response: { 200: Type.Array(ReadingSchema), ...problemResponses() },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { meterId, fromMs, toMs } = request.query;
      const scope = requireScope(caller, 'meter-readings:read');
      if (scope === 'anonymised' || scope === 'aggregate') {
        throw forbidden(
          `role '${caller.role}' sees readings only anonymised`,
          'use GET /api/meter-readings/anonymised',
        );
      }
      const allowed = await participantsInScope(ctx.db, caller, scope);
      if (allowed !== 'all') {
        const owner = (await meterOwners(ctx.db, [meterId])).get(meterId);
        if (owner === undefined || !allowed.has(owner)) {
          throw forbidden(`role '${caller.role}' may not read meter '${meterId}'`);
        }
      }
      return readMeterReadings(ctx.db, meterId, fromMs, toMs);
    },
  );

  app.get(
    '/api/meter-readings/anonymised',
    {
      schema: {
        operationId: 'readAnonymisedMeterReadings',
        summary: 'Every meter’s readings in [fromMs, toMs) under pseudonymous meter ids',
        tags: ['meter readings'],
        security: BEARER,
        querystring: Type.Object(
          { ...RangeQuery, limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_ANONYMISED_ROWS })) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object(
            {
              readings: Type.Array(
                Type.Object(
                  {
                    meterId: Type.String({ description: 'HMAC-SHA256 of the meter id, hex' }),
                    timeMs: Type.Integer(),
                    energyWh: Type.Integer(),
                  },
                  { additionalProperties: false },
                ),
              ),
              truncated: Type.Boolean({ description: 'more rows matched than the limit' }),
            },
            { additionalProperties: false },
          ),
          ...problemResponses(),
        },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const scope = requireScope(caller, 'meter-readings:read');
      if (scope !== 'anonymised' && scope !== 'all') {
        throw forbidden(`role '${caller.role}' may not read every meter, even anonymised`);
      }
      const { fromMs, toMs, limit = 10_000 } = request.query;
      const rows = await readAllMeterReadings(ctx.db, { fromMs, toMs, limit: limit + 1 });
      return {
        readings: rows
          .slice(0, limit)
          .map((r) => ({ ...r, meterId: pseudonymOf(ctx.pseudonymKey, r.meterId) })),
        truncated: rows.length > limit,
      };
    },
  );
}
