/**
 * `/api/sep/devices`: registering IEEE 2030.5 devices (certificate LFDI, registration PIN, the participant
 * whose meter the device settles on). Grid operators and the market operator register; participants read
 * their own devices. A device outside the caller's scope reads as absent (404), so ids of other households'
 * devices cannot be probed. Writes go through the registry, so this instance's 2030.5 server serves or
 * refuses the certificate at once.
 */
import { Type, type Static } from '@sinclair/typebox';
import {
  participantsInScope,
  requireParticipantAccess,
  requireScope,
  covers,
} from '../../server/access/participant-scope.js';
import { auditRecordOf } from '../../server/audit-trail.js';
import { callerOf } from '../../server/auth/authenticate.js';
import { notFound, problemResponses } from '../../server/problem.js';
import type { RouteContext, TypedApp } from '../../server/route-context.js';
import { BEARER, IdSchema, LimitSchema } from '../../server/schemas.js';
import {
  checkedSepDevice,
  getSepDevice,
  listSepDevices,
  MAX_SEEN_DEVICES,
  SEP_DEVICE_ID_PATTERN,
  type StoredSepDevice,
} from './sep-device-repository.js';
import { registerSepDeviceStateRoutes } from './device-state-routes.js';
import type { StoreSepDeviceRegistry } from './store-device-registry.js';

const SepDeviceIdSchema = Type.String({
  pattern: SEP_DEVICE_ID_PATTERN,
  description: 'the path segment under {base}/edev/: 1 to 64 letters, digits, _ or -',
});

const SepDeviceSchema = Type.Object(
  {
    id: Type.String(),
    lfdi: Type.String({ description: '40 upper-case hex digits' }),
    sfdi: Type.Integer(),
    pin: Type.Integer(),
    participantId: Type.String(),
    sees: Type.Array(Type.String()),
    enabled: Type.Boolean(),
    createdMs: Type.Integer(),
    changedMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const NewSepDeviceSchema = Type.Object(
  {
    id: SepDeviceIdSchema,
    lfdi: Type.String({
      pattern: '^[0-9A-Fa-f]{40}$',
      description: "first 40 hex digits of the SHA-256 of the device certificate's DER (IEEE 2030.5 6.3.4)",
    }),
    pin: Type.Integer({
      minimum: 0,
      maximum: 999_999,
      description: 'six digits, the last the check digit (all six sum to a multiple of 10)',
    }),
    participantId: IdSchema,
    sees: Type.Optional(
      Type.Array(SepDeviceIdSchema, {
        maxItems: MAX_SEEN_DEVICES,
        description: "devices this certificate may also read: its participant's, or those it aggregates",
      }),
    ),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);

const DEFAULT_LIST_LIMIT = 1000;

const DeviceParams = Type.Object({ id: SepDeviceIdSchema }, { additionalProperties: false });

type NewSepDeviceBody = Static<typeof NewSepDeviceSchema>;

function sameRegistration(stored: StoredSepDevice, wanted: StoredSepDevice): boolean {
  return (
    stored.lfdi === wanted.lfdi &&
    stored.pin === wanted.pin &&
    stored.participantId === wanted.participantId &&
    stored.enabled === wanted.enabled &&
    JSON.stringify(stored.sees) === JSON.stringify(wanted.sees)
  );
}

const view = (device: StoredSepDevice) => ({ ...device, sees: [...device.sees] });

export function registerSepDeviceRoutes(
  app: TypedApp,
  ctx: RouteContext,
  registry: StoreSepDeviceRegistry,
): void {
  registerSepDeviceStateRoutes(app, ctx);
  app.post(
    '/api/sep/devices',
    {
      schema: {
        operationId: 'registerSepDevice',
        summary: 'Register an IEEE 2030.5 device by its certificate LFDI (grid and market operators)',
        tags: ['ieee 2030.5'],
        security: BEARER,
        body: NewSepDeviceSchema,
        response: { 200: SepDeviceSchema, 201: SepDeviceSchema, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const body: NewSepDeviceBody = request.body;
      await requireParticipantAccess(ctx.db, caller, 'sep-devices:write', body.participantId);
      const device = checkedSepDevice(body, ctx.clock.nowMs());
      const existing = await getSepDevice(ctx.db, device.id);
      // A resend of the same registration is acknowledged; anything else under that id is a conflict.
      if (existing !== undefined && sameRegistration(existing, device))
        return reply.code(200).send(view(existing));
      await registry.register(
        device,
        auditRecordOf(ctx, caller, 'sep-device-registered', `sep-device:${device.id}`, {
          participantId: device.participantId,
          lfdi: device.lfdi,
          sfdi: device.sfdi,
          sees: device.sees,
        }),
      );
      return reply.code(201).send(view(device));
    },
  );

  app.get(
    '/api/sep/devices',
    {
      schema: {
        operationId: 'listSepDevices',
        summary: 'The IEEE 2030.5 devices the caller may see, in id order (limit, default 1000; afterId)',
        tags: ['ieee 2030.5'],
        security: BEARER,
        querystring: Type.Object(
          {
            participantId: Type.Optional(IdSchema),
            limit: Type.Optional(LimitSchema),
            afterId: Type.Optional(SepDeviceIdSchema),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(SepDeviceSchema), ...problemResponses() },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { participantId, afterId } = request.query;
      // Pages in id order: pass the last id of one page as afterId for the next.
      const page = { limit: request.query.limit ?? DEFAULT_LIST_LIMIT, afterId };
      if (participantId !== undefined) {
        await requireParticipantAccess(ctx.db, caller, 'sep-devices:read', participantId);
        return (await listSepDevices(ctx.db, new Set([participantId]), page)).map(view);
      }
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'sep-devices:read'));
      return (await listSepDevices(ctx.db, allowed, page)).map(view);
    },
  );

  app.get(
    '/api/sep/devices/:id',
    {
      schema: {
        operationId: 'getSepDevice',
        summary: 'One IEEE 2030.5 device',
        tags: ['ieee 2030.5'],
        security: BEARER,
        params: DeviceParams,
        response: { 200: SepDeviceSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'sep-devices:read'));
      const device = await getSepDevice(ctx.db, request.params.id);
      if (device === undefined || !covers(allowed, device.participantId))
        throw notFound(`no 2030.5 device '${request.params.id}'`, 'params.id');
      return view(device);
    },
  );

  app.delete(
    '/api/sep/devices/:id',
    {
      schema: {
        operationId: 'deleteSepDevice',
        summary: 'Remove an IEEE 2030.5 device: its certificate is refused from then on',
        tags: ['ieee 2030.5'],
        security: BEARER,
        params: DeviceParams,
        response: { 204: Type.Null(), ...problemResponses(404) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'sep-devices:write'));
      const { id } = request.params;
      const device = await getSepDevice(ctx.db, id);
      if (device === undefined || !covers(allowed, device.participantId))
        throw notFound(`no 2030.5 device '${id}'`, 'params.id');
      const removed = await registry.remove(
        id,
        auditRecordOf(ctx, caller, 'sep-device-deleted', `sep-device:${id}`, {
          participantId: device.participantId,
          lfdi: device.lfdi,
        }),
      );
      if (!removed) throw notFound(`no 2030.5 device '${id}'`, 'params.id');
      return reply.code(204).send(null);
    },
  );
}
