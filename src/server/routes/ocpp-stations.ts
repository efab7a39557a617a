/**
 * OCPP charging stations: registration (the station's owner, its aggregator or the market operator:
 * a station is a device, so `devices:write`), the list with live connection and connector state
 * (`devices:read`), and removal, which also closes the station's connection. Present when the API server
 * is given the platform's CSMS (`ocppStations`).
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { OcppService } from '../../ocpp/ocpp-service.js';
import { getStation, listStations, registerStation, removeStation } from '../../ocpp/station-repository.js';
import {
  covers,
  participantsInScope,
  requireParticipantAccess,
  requireScope,
} from '../access/participant-scope.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { notFound, problemResponses } from '../problem.js';
import { findParticipant } from '../queries/registry-queries.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { asResponse, BEARER, IdSchema } from '../schemas.js';

/** What the routes need of the CSMS. */
export type OcppStationDirectory = Pick<
  OcppService,
  'connectedStations' | 'connectorStates' | 'disconnect' | 'forgetStation'
>;

const StationIdSchema = Type.String({
  minLength: 1,
  maxLength: 48,
  pattern: '^[A-Za-z0-9._~-]+$',
  description: 'the id in /ocpp/{stationId} and the Basic-auth user name',
});

const NewStationSchema = Type.Object(
  {
    stationId: StationIdSchema,
    participantId: IdSchema,
    password: Type.String({
      minLength: 16,
      maxLength: 40,
      description: 'the Basic-auth password (OCPP 2.0.1 security profile 1 or 2); stored as a salted hash',
    }),
  },
  { additionalProperties: false },
);

const ConnectorSchema = Type.Object(
  {
    evseId: Type.Integer(),
    connectorId: Type.Integer(),
    status: Type.String(),
    timestampMs: Type.Integer(),
  },
  { additionalProperties: false },
);

const StationSchema = Type.Object(
  {
    stationId: Type.String(),
    participantId: Type.String(),
    connected: Type.Boolean(),
    connectors: Type.Array(ConnectorSchema),
    registerWh: Type.Union([Type.Integer(), Type.Null()]),
    registerMs: Type.Union([Type.Integer(), Type.Null()]),
  },
  { additionalProperties: false },
);

const RemovedSchema = Type.Object(
  { stationId: Type.String(), disconnected: Type.Boolean() },
  { additionalProperties: false },
);

export function registerOcppStationRoutes(
  app: TypedApp,
  ctx: RouteContext,
  csms: OcppStationDirectory,
): void {
  const view = (station: {
    stationId: string;
    participantId: string;
    registerWh?: number;
    registerMs?: number;
  }) => {
    const connected = new Set(csms.connectedStations());
    return {
      stationId: station.stationId,
      participantId: station.participantId,
      connected: connected.has(station.stationId),
      connectors: csms.connectorStates(station.stationId),
      registerWh: station.registerWh ?? null,
      registerMs: station.registerMs ?? null,
    };
  };

  app.post(
    '/api/ocpp/stations',
    {
      schema: {
        operationId: 'registerOcppStation',
        summary:
          'Register an OCPP charging station for a participant (its owner, its aggregator, or the market operator)',
        tags: ['ocpp'],
        security: BEARER,
        body: NewStationSchema,
        response: { 201: StationSchema, ...problemResponses(404, 409, 413, 415) },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      const { stationId, participantId, password } = request.body;
      await requireParticipantAccess(ctx.db, caller, 'devices:write', participantId);
      if ((await findParticipant(ctx.db, participantId)) === undefined) {
        throw new TeError('TE_ERR_UNKNOWN_PARTICIPANT', `participant '${participantId}' is not registered`, {
          path: 'participantId',
          hint: 'register the participant first',
        });
      }
      await registerStation(ctx.db, { stationId, participantId, password }, ctx.clock.nowMs());
      await recordAudit(ctx, caller, 'ocpp-station-registered', `ocpp-station:${stationId}`, {
        stationId,
        participantId,
      });
      return reply.code(201).send(view({ stationId, participantId }));
    },
  );

  app.get(
    '/api/ocpp/stations',
    {
      schema: {
        operationId: 'listOcppStations',
        summary: 'OCPP charging stations the caller may see, with connection and connector state',
        tags: ['ocpp'],
        security: BEARER,
        response: { 200: Type.Array(StationSchema), ...problemResponses() },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const allowed = await participantsInScope(ctx.db, caller, requireScope(caller, 'devices:read'));
      const stations = (await listStations(ctx.db)).filter((s) => covers(allowed, s.participantId));
      return asResponse(stations.map(view));
    },
  );

  app.delete(
    '/api/ocpp/stations/:stationId',
    {
      schema: {
        operationId: 'removeOcppStation',
        summary: 'Remove an OCPP charging station and close its connection',
        tags: ['ocpp'],
        security: BEARER,
        params: Type.Object({ stationId: StationIdSchema }, { additionalProperties: false }),
        response: { 200: RemovedSchema, ...problemResponses(404) },
      },
    },
    async (request) => {
      const caller = callerOf(request);
      const { stationId } = request.params;
      requireScope(caller, 'devices:write');
      const station = await getStation(ctx.db, stationId);
      if (station === undefined) throw notFound(`no OCPP station '${stationId}'`, 'params.stationId');
      await requireParticipantAccess(ctx.db, caller, 'devices:write', station.participantId);
      await removeStation(ctx.db, stationId);
      // Removed first: a reconnect attempt in between is refused at the upgrade.
      const disconnected = await csms.disconnect(stationId);
      csms.forgetStation(stationId);
      await recordAudit(ctx, caller, 'ocpp-station-removed', `ocpp-station:${stationId}`, {
        stationId,
        participantId: station.participantId,
        disconnected,
      });
      return { stationId, disconnected };
    },
  );
}
