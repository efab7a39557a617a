/**
 * What IEEE 2030.5 devices reported, for the utility, the DSO and the market operator (and each
 * participant for its own devices): `GET /api/sep/devices/{id}/responses`, the device's DERControlResponses
 * newest first, and `GET /api/sep/devices/{id}/der`, the latest DER documents it PUT. Both follow
 * `sep-devices:read`; a device out of the caller's scope reads as absent (404), as for the device itself.
 */
import { Type } from '@sinclair/typebox';
import { covers, participantsInScope, requireScope } from '../../server/access/participant-scope.js';
import { callerOf } from '../../server/auth/authenticate.js';
import { notFound, problemResponses } from '../../server/problem.js';
import type { RouteContext, TypedApp } from '../../server/route-context.js';
import { BEARER, EpochMsSchema } from '../../server/schemas.js';
import type { Caller } from '../../server/auth/tokens.js';
import { SEP_DER_DOCUMENT_KINDS } from '../server/registry.js';
import { getSepDevice, SEP_DEVICE_ID_PATTERN, type StoredSepDevice } from './sep-device-repository.js';
import { listControlResponses, listDerDocuments } from './sep-device-state-repository.js';

const DEFAULT_RESPONSES = 100;
const MAX_RESPONSES = 1_000;

const DeviceParams = Type.Object(
  { id: Type.String({ pattern: SEP_DEVICE_ID_PATTERN }) },
  { additionalProperties: false },
);

const ControlResponseSchema = Type.Object(
  {
    controlMRID: Type.String({ description: 'the mRID of the DERControl answered (32 hex digits)' }),
    status: Type.Integer({
      description:
        '2030.5 response status: 1 received, 2 started, 3 completed, 4 opted out, 6 cancelled, 7 superseded, 252-255 refused or expired; 0 when the device sent none',
    }),
    responseTimeMs: Type.Optional(
      Type.Integer({ description: "the response's createdDateTime, epoch ms, when the device sent one" }),
    ),
    receivedMs: Type.Integer({ description: 'when the platform stored it, epoch ms' }),
  },
  { additionalProperties: false },
);

const ControlResponsesSchema = Type.Object(
  { deviceId: Type.String(), responses: Type.Array(ControlResponseSchema) },
  { additionalProperties: false },
);

const DerDocumentSchema = Type.Object(
  {
    updatedMs: Type.Integer({ description: 'when the device last PUT it, epoch ms' }),
    document: Type.Unknown({ description: 'the 2030.5 document as decoded (element names as in sep.xsd)' }),
  },
  { additionalProperties: false },
);

const DerStateSchema = Type.Object(
  {
    deviceId: Type.String(),
    DERCapability: Type.Optional(DerDocumentSchema),
    DERSettings: Type.Optional(DerDocumentSchema),
    DERStatus: Type.Optional(DerDocumentSchema),
    DERAvailability: Type.Optional(DerDocumentSchema),
  },
  { additionalProperties: false },
);

/** The device, when it exists and the caller may read it; 404 otherwise, so ids cannot be probed. */
async function readableDevice(ctx: RouteContext, caller: Caller, id: string): Promise<StoredSepDevice> {
  const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'sep-devices:read'));
  const device = await getSepDevice(ctx.db, id);
  if (device === undefined || !covers(allowed, device.participantId))
    throw notFound(`no 2030.5 device '${id}'`, 'params.id');
  return device;
}

export function registerSepDeviceStateRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/api/sep/devices/:id/responses',
    {
      schema: {
        operationId: 'listSepControlResponses',
        summary:
          "An IEEE 2030.5 device's DERControlResponses, newest first (limit, default 100; after and before: received time, epoch ms)",
        tags: ['ieee 2030.5'],
        security: BEARER,
        params: DeviceParams,
        querystring: Type.Object(
          {
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_RESPONSES })),
            after: Type.Optional({
              ...EpochMsSchema,
              description: 'only responses received after this, epoch ms',
            }),
            before: Type.Optional({
              ...EpochMsSchema,
              description:
                'only responses received before this, epoch ms (the next page: the last receivedMs)',
            }),
          },
          { additionalProperties: false },
        ),
        response: { 200: ControlResponsesSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const device = await readableDevice(ctx, callerOf(request), request.params.id);
      const { limit, after, before } = request.query;
      const responses = await listControlResponses(ctx.db, device.id, {
        limit: limit ?? DEFAULT_RESPONSES,
        afterMs: after,
        beforeMs: before,
      });
      return { deviceId: device.id, responses };
    },
  );

  app.get(
    '/api/sep/devices/:id/der',
    {
      schema: {
        operationId: 'getSepDerState',
        summary:
          'The latest DERCapability, DERSettings, DERStatus and DERAvailability an IEEE 2030.5 device PUT, with when',
        tags: ['ieee 2030.5'],
        security: BEARER,
        params: DeviceParams,
        response: { 200: DerStateSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const device = await readableDevice(ctx, callerOf(request), request.params.id);
      const documents = await listDerDocuments(ctx.db, device.id, SEP_DER_DOCUMENT_KINDS);
      return {
        deviceId: device.id,
        ...Object.fromEntries(
          documents.map((d) => [d.kind, { updatedMs: d.updatedMs, document: d.document }]),
        ),
      };
    },
  );
}
