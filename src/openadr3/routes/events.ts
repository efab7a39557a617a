/**
 * Events: business logic writes them into an existing program; VENs read the untargeted ones and those
 * targeted to them. `active=true` leaves out events whose last interval has ended (by the VTN's clock).
 */
import type { Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { TypedApp } from '../../server/route-context.js';
import { getOpenAdrObject } from '../../store/openadr-object-repository.js';
import { eventEndMs } from '../event-lifespan.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody } from '../object-views.js';
import { EventRequestSchema, EventSchema, type EventRequest } from '../schemas/objects.js';
import { EventSearchSchema, requestedTargets } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { registerObjectCollection, type ObjectCollection } from './object-collection.js';

const EVENTS: ObjectCollection<Static<typeof EventSearchSchema>> = {
  path: '/events',
  param: 'eventID',
  objectType: 'EVENT',
  operations: {
    search: ['searchAllEvents', 'Search events (programID, targets, active, skip, limit)'],
    create: ['createEvent', 'Create an event in a program'],
    get: ['searchEventsByID', 'One event'],
    update: ['updateEvent', 'Update an event'],
    delete: ['deleteEvent', 'Delete an event'],
  },
  scopes: { read: 'read_targets', write: 'write_events' },
  schemas: { search: EventSearchSchema, request: EventRequestSchema, object: EventSchema },
  search(vtn, caller, query) {
    const filters = {
      ...(query.programID === undefined ? {} : { programId: query.programID }),
      ...(query.active === true ? { activeAtMs: vtn.nowMs() } : {}),
    };
    const page = { skip: query.skip, limit: query.limit };
    return vtn.searchTargeted(caller, 'EVENT', requestedTargets(query), filters, page);
  },
  read: (vtn, caller, id, path) => vtn.getTargeted(caller, 'EVENT', id, path),
  async record(vtn, _caller, { id, request, createdMs, modifiedMs }) {
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
  },
};

export function registerEventRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, EVENTS);
}
