/**
 * VEN objects. A VEN creates its own with VEN_VEN_REQUEST (the VTN stamps its clientID); only business
 * logic sends BL_VEN_REQUEST, which sets the clientID and grants targets. An update by a VEN keeps the
 * clientID and targets business logic set. venName is unique on the VTN (409). Deleting a VEN deletes
 * its resources; its clientID cannot change while it has resources (they carry the same clientID).
 */
import type { Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { Caller } from '../../server/auth/tokens.js';
import { forbidden } from '../../server/problem.js';
import type { TypedApp } from '../../server/route-context.js';
import {
  openAdrNameKey,
  type OpenAdrObjectRecord,
  type OpenAdrWriteCheck,
  type StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, parseBody } from '../object-views.js';
import { VenRequestSchema, VenSchema, type VenRequest } from '../schemas/objects.js';
import { requestedTargets, VenSearchSchema } from '../schemas/queries.js';
import { isBusinessLogic } from '../scopes.js';
import type { VtnObjects } from '../vtn-objects.js';
import { readOwned, registerObjectCollection, type ObjectCollection } from './object-collection.js';

const VENS: ObjectCollection<Static<typeof VenSearchSchema>> = {
  path: '/vens',
  param: 'venID',
  objectType: 'VEN',
  operations: {
    search: ['searchVens', 'Search VEN objects (venName, targets, skip, limit)'],
    create: ['createVen', 'Create a VEN object'],
    get: ['searchVenByID', 'One VEN object'],
    update: ['updateVen', 'Update a VEN object'],
    delete: ['deleteVen', 'Delete a VEN object (and its resources)'],
  },
  scopes: { read: 'read_ven_objects', write: 'write_vens' },
  schemas: { search: VenSearchSchema, request: VenRequestSchema, object: VenSchema },
  search(vtn, caller, query) {
    const filters = { name: query.venName, anyTarget: requestedTargets(query) };
    return vtn.searchOwned(caller, 'VEN', filters, { skip: query.skip, limit: query.limit });
  },
  read: (vtn, caller, id, path) => readOwned(vtn, caller, 'VEN', id, path),
  record: async (_vtn, caller, { id, request, createdMs, modifiedMs }, existing) =>
    venRecord(caller, id, request, createdMs, modifiedMs, existing),
  updateCheck: keepsResourcesOwner,
};

export function registerVenRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, VENS);
}

function venRecord(
  caller: Caller,
  id: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
  existing: StoredOpenAdrObject | undefined,
): OpenAdrObjectRecord {
  const fields = keepKnownProperties(request, VenRequestSchema) as VenRequest;
  const meta = { id, objectType: 'VEN', createdMs, modifiedMs } as const;
  let clientId: string;
  let granted: Record<string, unknown>;
  if (fields.objectType === 'BL_VEN_REQUEST') {
    if (!isBusinessLogic(caller)) throw onlyBusinessLogic('BL_VEN_REQUEST', 'VEN_VEN_REQUEST');
    const { clientID, targets, ...rest } = fields;
    clientId = clientID;
    granted = { clientID, ...(targets === undefined ? {} : { targets }) };
    return venOf(meta, rest, clientId, granted, targets ?? []);
  }
  // A VEN's own request: the owner and the targets stay what they were (the caller on creation).
  const previous = existing === undefined ? {} : parseBody(existing);
  clientId = existing?.clientId ?? caller.clientId;
  const targets = previous['targets'] as string[] | null | undefined;
  granted = { clientID: clientId, ...(targets === undefined ? {} : { targets }) };
  return venOf(meta, fields, clientId, granted, targets ?? []);
}

function venOf(
  meta: { id: string; objectType: 'VEN'; createdMs: number; modifiedMs: number },
  fields: { objectType: string; venName: string; attributes?: unknown },
  clientId: string,
  granted: Record<string, unknown>,
  targets: readonly string[],
): OpenAdrObjectRecord {
  const { objectType: _requestType, venName, ...rest } = fields;
  return {
    ...meta,
    clientId,
    name: venName,
    nameKey: openAdrNameKey('VEN', venName),
    targets,
    body: objectBody(meta, {}, { ...granted, venName, ...rest }),
  };
}

/** A VEN's clientID may change only while no resource carries the old one. */
function keepsResourcesOwner(existing: StoredOpenAdrObject, record: OpenAdrObjectRecord): OpenAdrWriteCheck {
  return async (tx) => {
    if (existing.clientId === record.clientId) return undefined;
    const resource = await tx
      .selectFrom('openadr_objects')
      .select('id')
      .where('parent_id', '=', existing.id)
      .executeTakeFirst();
    if (resource === undefined) return undefined;
    return new TeError(
      'TE_ERR_VALIDATION',
      `the clientID of ven '${existing.id}' cannot change while it has resources`,
      {
        path: 'clientID',
        hint: 'keep the clientID, or delete the VEN resources (they carry the same clientID) first',
      },
    );
  };
}

export function onlyBusinessLogic(sent: string, instead: string): TeError {
  return forbidden(
    `only business logic may send ${sent} (it sets clientID and grants targets)`,
    `send ${instead} without clientID and targets`,
  );
}
