/**
 * VEN objects. A VEN creates its own with VEN_VEN_REQUEST (the VTN stamps its clientID); only business
 * logic sends BL_VEN_REQUEST, which sets the clientID and grants targets. An update by a VEN keeps the
 * clientID and targets business logic set. venName is unique on the VTN (409). Deleting a VEN deletes
 * its resources; its clientID cannot change while it has resources (they carry the same clientID).
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
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
import { objectBody, parseBody, sendJsonText } from '../object-views.js';
import { VenRequestSchema, VenSchema, type VenRequest } from '../schemas/objects.js';
import { idParams, requestedTargets, VenSearchSchema } from '../schemas/queries.js';
import { isBusinessLogic } from '../scopes.js';
import type { VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

const Params = idParams('venID');
const PARAM = 'params.venID';

export function registerVenRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/vens',
    operation('read_ven_objects', {
      operationId: 'searchVens',
      summary: 'Search VENs (venName, targets, skip, limit)',
      querystring: VenSearchSchema,
      ok: [200, Type.Array(VenSchema)],
    }),
    async (request, reply) => {
      const { venName, skip, limit } = request.query;
      const filters = { name: venName, anyTarget: requestedTargets(request.query) };
      const text = await vtn.searchOwned(callerOf(request), 'VEN', filters, { skip, limit });
      return sendJsonText(reply, 200, text);
    },
  );

  app.post(
    '/vens',
    operation('write_vens', {
      operationId: 'createVen',
      summary: 'Create a VEN object',
      body: VenRequestSchema,
      ok: [201, VenSchema],
      errors: [409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const now = vtn.nowMs();
      const stored = await vtn.create(
        caller,
        venRecord(caller, vtn.newId(), request.body, now, now, undefined),
      );
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/vens/:venID',
    operation('read_ven_objects', {
      operationId: 'searchVenByID',
      summary: 'One VEN object',
      params: Params,
      ok: [200, VenSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const stored = await vtn.getOwned(callerOf(request), 'VEN', request.params.venID, PARAM);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.put(
    '/vens/:venID',
    operation('write_vens', {
      operationId: 'updateVen',
      summary: 'Update a VEN object',
      params: Params,
      body: VenRequestSchema,
      ok: [200, VenSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'VEN', request.params.venID, PARAM);
      const record = venRecord(caller, existing.id, request.body, existing.createdMs, vtn.nowMs(), existing);
      const stored = await vtn.replace(caller, record, keepsResourcesOwner(existing, record));
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    '/vens/:venID',
    operation('write_vens', {
      operationId: 'deleteVen',
      summary: 'Delete a VEN object (and its resources)',
      params: Params,
      ok: [200, VenSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(callerOf(request), 'VEN', request.params.venID, PARAM);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
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
