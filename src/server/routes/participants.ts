/** Participants and their devices: registration (market operator; devices also by their owners) and reads. */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { listParticipantDevices, registerDevice } from '../../store/registry-repository.js';
import { participantsInScope, requireParticipantAccess, requireScope } from '../access/participant-scope.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { coded, notFound, problemResponses } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import {
  findDevice,
  findParticipant,
  insertParticipant,
  listParticipants,
} from '../queries/registry-queries.js';
import { BEARER, IdSchema, LimitSchema, NameSchema } from '../schemas.js';

const ParticipantSchema = Type.Object(
  {
    id: IdSchema,
    role: Type.String(),
    name: Type.String(),
    createdMs: Type.Integer(),
    aggregatorId: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

const NewParticipantSchema = Type.Object(
  {
    id: IdSchema,
    role: Type.String({
      minLength: 1,
      maxLength: 64,
      pattern: '^[a-z][a-z0-9-]*$',
      description: 'e.g. prosumer, aggregator, utility',
    }),
    name: NameSchema,
    aggregatorId: Type.Optional(IdSchema),
  },
  { additionalProperties: false },
);

const ParamScalar = Type.Union([Type.Number(), Type.String({ maxLength: 256 }), Type.Boolean(), Type.Null()]);

/** Device parameters: a flat-ish bag (numbers, strings, short lists, one level of objects), never deep. */
const DeviceParamsSchema = Type.Record(
  Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }),
  Type.Union([
    ParamScalar,
    Type.Array(Type.Union([ParamScalar, Type.Array(Type.Number(), { maxItems: 8 })]), { maxItems: 1000 }),
    Type.Record(Type.String({ pattern: '^[A-Za-z][A-Za-z0-9_]{0,63}$' }), ParamScalar, { maxProperties: 64 }),
  ]),
  { maxProperties: 64, description: "the device model's parameters (docs/der-models.md)" },
);

const DeviceSchema = Type.Object(
  { id: IdSchema, participantId: IdSchema, kind: Type.String(), params: Type.Unknown() },
  { additionalProperties: false },
);

const NewDeviceSchema = Type.Object(
  {
    id: IdSchema,
    participantId: IdSchema,
    kind: Type.String({ minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$' }),
    params: DeviceParamsSchema,
  },
  { additionalProperties: false },
);

const ParticipantParams = Type.Object({ participantId: IdSchema }, { additionalProperties: false });

export function registerParticipantRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/participants',
    {
      schema: {
        operationId: 'listParticipants',
        summary: 'Participants the caller may see',
        tags: ['participants'],
        security: BEARER,
        querystring: Type.Object({ limit: Type.Optional(LimitSchema) }, { additionalProperties: false }),
        response: { 200: Type.Array(ParticipantSchema), ...problemResponses() },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'participants:read'));
      const limit = request.query.limit ?? 1000;
      return listParticipants(ctx.db, allowed === 'all' ? { limit } : { ids: [...allowed], limit });
    },
  );

  app.get(
    '/api/participants/:participantId',
    {
      schema: {
        operationId: 'getParticipant',
        summary: 'One participant',
        tags: ['participants'],
        security: BEARER,
        params: ParticipantParams,
        response: { 200: ParticipantSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const { participantId } = request.params;
      await requireParticipantAccess(ctx.db, callerOf(request), 'participants:read', participantId);
      const found = await findParticipant(ctx.db, participantId);
      if (found === undefined) throw notFound(`no participant '${participantId}'`, 'params.participantId');
      return found;
    },
  );

  app.post(
    '/api/participants',
    {
      schema: {
        operationId: 'registerParticipant',
        summary: 'Register a participant (market operator)',
        tags: ['participants'],
        security: BEARER,
        body: NewParticipantSchema,
        response: { 200: ParticipantSchema, 201: ParticipantSchema, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireScope(caller, 'participants:write');
      const body = request.body;
      if (body.aggregatorId !== undefined) {
        if (body.aggregatorId === body.id) {
          throw coded('TE_ERR_VALIDATION', 'a participant cannot be its own aggregator', 'aggregatorId');
        }
        if ((await findParticipant(ctx.db, body.aggregatorId)) === undefined) {
          throw new TeError(
            'TE_ERR_UNKNOWN_PARTICIPANT',
            `aggregator '${body.aggregatorId}' is not registered`,
            {
              path: 'aggregatorId',
              hint: 'register the aggregator first',
            },
          );
        }
      }
      const wanted = {
        id: body.id,
        role: body.role,
        name: body.name,
        createdMs: ctx.clock.nowMs(),
        aggregatorId: body.aggregatorId ?? null,
      };
      const { created, stored } = await insertParticipant(ctx.db, wanted);
      if (!created) {
        const same =
          stored.role === wanted.role &&
          stored.name === wanted.name &&
          stored.aggregatorId === wanted.aggregatorId;
        if (!same) {
          throw coded(
            'TE_ERR_VALIDATION',
            `participant '${body.id}' is already registered with other details`,
            'id',
            'registration keeps the first row; choose another id',
          );
        }
        return reply.code(200).send(stored);
      }
      await recordAudit(ctx, caller, 'participant-registered', `participant:${body.id}`, {
        participant: stored,
      });
      return reply.code(201).send(stored);
    },
  );

  app.post(
    '/api/devices',
    {
      schema: {
        operationId: 'registerDevice',
        summary: 'Register a device of a participant (its owner, its aggregator, or the market operator)',
        tags: ['participants'],
        security: BEARER,
        body: NewDeviceSchema,
        response: { 200: DeviceSchema, 201: DeviceSchema, ...problemResponses(404, 413, 415) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body = request.body;
      await requireParticipantAccess(ctx.db, caller, 'devices:write', body.participantId);
      if ((await findParticipant(ctx.db, body.participantId)) === undefined) {
        throw new TeError(
          'TE_ERR_UNKNOWN_PARTICIPANT',
          `participant '${body.participantId}' is not registered`,
          {
            path: 'participantId',
            hint: 'register the participant first',
          },
        );
      }
      const existing = await findDevice(ctx.db, body.id);
      if (existing !== undefined) {
        if (existing.participantId !== body.participantId || existing.kind !== body.kind) {
          throw coded(
            'TE_ERR_VALIDATION',
            `device '${body.id}' is already registered to another participant or kind`,
            'id',
          );
        }
        const devices = await listParticipantDevices(ctx.db, body.participantId);
        return reply.code(200).send(devices.find((d) => d.id === body.id) ?? body);
      }
      await registerDevice(ctx.db, body);
      await recordAudit(ctx, caller, 'device-registered', `device:${body.id}`, {
        participantId: body.participantId,
        kind: body.kind,
      });
      return reply.code(201).send(body);
    },
  );

  app.get(
    '/api/participants/:participantId/devices',
    {
      schema: {
        operationId: 'listParticipantDevices',
        summary: "A participant's devices",
        tags: ['participants'],
        security: BEARER,
        params: ParticipantParams,
        response: { 200: Type.Array(DeviceSchema), ...problemResponses(404) },
      },
    },
    async (request) => {
      const { participantId } = request.params;
      await requireParticipantAccess(ctx.db, callerOf(request), 'devices:read', participantId);
      if ((await findParticipant(ctx.db, participantId)) === undefined) {
        throw notFound(`no participant '${participantId}'`, 'params.participantId');
      }
      return listParticipantDevices(ctx.db, participantId);
    },
  );
}
