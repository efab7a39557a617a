/**
 * Events: business logic writes them into an existing program; VENs read the untargeted ones and those
 * targeted to them. `active=true` leaves out events whose last interval has ended (by the VTN's clock).
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import type { TypedApp } from '../../server/route-context.js';
import { getOpenAdrObject, type OpenAdrObjectRecord } from '../../store/openadr-object-repository.js';
import { eventEndMs } from '../event-lifespan.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, sendJsonText } from '../object-views.js';
import { EventRequestSchema, EventSchema, type EventRequest } from '../schemas/objects.js';
import { EventSearchSchema, idParams, requestedTargets } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

const Params = idParams('eventID');
const PARAM = 'params.eventID';

export function registerEventRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/events',
    operation('read_targets', {
      operationId: 'searchAllEvents',
      summary: 'Search events (programID, targets, active, skip, limit)',
      querystring: EventSearchSchema,
      ok: [200, Type.Array(EventSchema)],
    }),
    async (request, reply) => {
      const { programID, active, skip, limit } = request.query;
      const filters = {
        ...(programID === undefined ? {} : { programId: programID }),
        ...(active === true ? { activeAtMs: vtn.nowMs() } : {}),
      };
      const requested = requestedTargets(request.query);
      const text = await vtn.searchTargeted(callerOf(request), 'EVENT', requested, filters, { skip, limit });
      return sendJsonText(reply, 200, text);
    },
  );

  app.post(
    '/events',
    operation('write_events', {
      operationId: 'createEvent',
      summary: 'Create an event in a program',
      body: EventRequestSchema,
      ok: [201, EventSchema],
      errors: [409],
    }),
    async (request, reply) => {
      const now = vtn.nowMs();
      const record = await eventRecord(vtn, vtn.newId(), request.body, now, now);
      const stored = await vtn.create(callerOf(request), record);
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/events/:eventID',
    operation('read_targets', {
      operationId: 'searchEventsByID',
      summary: 'One event',
      params: Params,
      ok: [200, EventSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const text = await vtn.getTargeted(callerOf(request), 'EVENT', request.params.eventID, 'eventID');
      return sendJsonText(reply, 200, text);
    },
  );

  app.put(
    '/events/:eventID',
    operation('write_events', {
      operationId: 'updateEvent',
      summary: 'Update an event',
      params: Params,
      body: EventRequestSchema,
      ok: [200, EventSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'EVENT', request.params.eventID, PARAM);
      const record = await eventRecord(vtn, existing.id, request.body, existing.createdMs, vtn.nowMs());
      const stored = await vtn.replace(caller, record);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    '/events/:eventID',
    operation('write_events', {
      operationId: 'deleteEvent',
      summary: 'Delete an event',
      params: Params,
      ok: [200, EventSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(callerOf(request), 'EVENT', request.params.eventID, PARAM);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

async function eventRecord(
  vtn: VtnObjects,
  id: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
): Promise<OpenAdrObjectRecord> {
  const fields = keepKnownProperties(request, EventRequestSchema) as EventRequest;
  // The foreign key keeps the program from vanishing under the write; this checks it is a program.
  if ((await getOpenAdrObject(vtn.db, 'PROGRAM', fields.programID)) === undefined) {
    throw new TeError('TE_ERR_UNKNOWN_REFERENCE', `no program '${fields.programID}'`, {
      path: 'programID',
      hint: 'create the program first (POST /openadr3/programs), or name one that exists',
    });
  }
  return {
    id,
    objectType: 'EVENT',
    parentId: fields.programID,
    programId: fields.programID,
    name: fields.eventName ?? undefined,
    targets: fields.targets ?? [],
    endsMs: eventEndMs(fields),
    createdMs,
    modifiedMs,
    body: objectBody({ id, objectType: 'EVENT', createdMs, modifiedMs }, fields),
  };
}
