/**
 * VEN resources (`/resources`, 3.1.1). A resource belongs to a VEN object and carries its clientID: a
 * VEN adds resources to its own VEN (VEN_RESOURCE_REQUEST); business logic may also grant targets
 * (BL_RESOURCE_REQUEST, whose clientID must be the VEN's). resourceName is unique within its VEN (409).
 * OpenADR 3.0.1's `/vens/{venID}/resources` paths are in `legacy-ven-resources.ts`.
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { TypedApp } from '../../server/route-context.js';
import {
  openAdrNameKey,
  type OpenAdrObjectRecord,
  type StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, parseBody, sendJsonText } from '../object-views.js';
import { ResourceRequestSchema, ResourceSchema, type ResourceRequest } from '../schemas/objects.js';
import { idParams, requestedTargets, ResourceSearchSchema } from '../schemas/queries.js';
import { isBusinessLogic } from '../scopes.js';
import type { VtnObjects } from '../vtn-objects.js';
import { registerLegacyVenResourceRoutes } from './legacy-ven-resources.js';
import { operation } from './operation.js';
import { onlyBusinessLogic } from './vens.js';

const Params = idParams('resourceID');
const PARAM = 'params.resourceID';

export function registerResourceRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/resources',
    operation('read_ven_objects', {
      operationId: 'searchVenResources',
      summary: 'Search VEN resources (resourceName, venID, targets, skip, limit)',
      querystring: ResourceSearchSchema,
      ok: [200, Type.Array(ResourceSchema)],
      errors: [404],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const { resourceName, venID, skip, limit } = request.query;
      if (venID !== undefined) await vtn.getOwned(caller, 'VEN', venID, 'query.venID');
      const filters = { name: resourceName, venId: venID, anyTarget: requestedTargets(request.query) };
      return sendJsonText(reply, 200, await vtn.searchOwned(caller, 'RESOURCE', filters, { skip, limit }));
    },
  );

  app.post(
    '/resources',
    operation('write_vens', {
      operationId: 'createResource',
      summary: 'Create a VEN resource',
      body: ResourceRequestSchema,
      ok: [201, ResourceSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const now = vtn.nowMs();
      const record = await resourceRecord(vtn, caller, vtn.newId(), request.body, now, now, undefined);
      const stored = await vtn.create(caller, record);
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/resources/:resourceID',
    operation('read_ven_objects', {
      operationId: 'searchVenResourceByID',
      summary: 'One VEN resource',
      params: Params,
      ok: [200, ResourceSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const stored = await vtn.getOwned(callerOf(request), 'RESOURCE', request.params.resourceID, PARAM);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.put(
    '/resources/:resourceID',
    operation('write_vens', {
      operationId: 'updateVenResource',
      summary: 'Update a VEN resource',
      params: Params,
      body: ResourceRequestSchema,
      ok: [200, ResourceSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'RESOURCE', request.params.resourceID, PARAM);
      const now = vtn.nowMs();
      const record = await resourceRecord(
        vtn,
        caller,
        existing.id,
        request.body,
        existing.createdMs,
        now,
        existing,
      );
      return sendJsonText(reply, 200, (await vtn.replace(caller, record)).bodyText);
    },
  );

  app.delete(
    '/resources/:resourceID',
    operation('write_vens', {
      operationId: 'deleteVenResource',
      summary: 'Delete a VEN resource',
      params: Params,
      ok: [200, ResourceSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(callerOf(request), 'RESOURCE', request.params.resourceID, PARAM);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );

  registerLegacyVenResourceRoutes(app, vtn);
}

/**
 * The stored form of a resource request. The VEN must be one the caller may change (404 otherwise,
 * never revealing another client's VEN); a VEN's own request keeps the targets business logic granted.
 */
export async function resourceRecord(
  vtn: VtnObjects,
  caller: Caller,
  id: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
  existing: StoredOpenAdrObject | undefined,
): Promise<OpenAdrObjectRecord> {
  const fields = keepKnownProperties(request, ResourceRequestSchema) as ResourceRequest;
  const businessLogicRequest = fields.objectType === 'BL_RESOURCE_REQUEST';
  if (businessLogicRequest && !isBusinessLogic(caller)) {
    throw onlyBusinessLogic('BL_RESOURCE_REQUEST', 'VEN_RESOURCE_REQUEST');
  }
  const ven = await vtn.getOwned(caller, 'VEN', fields.venID, 'venID');
  const clientId = ven.clientId ?? caller.clientId;
  let targets: string[] | null | undefined;
  if (fields.objectType === 'BL_RESOURCE_REQUEST') {
    if (fields.clientID !== clientId) {
      throw new TeError(
        'TE_ERR_VALIDATION',
        `clientID must be '${clientId}', the clientID of ven '${ven.id}'`,
        {
          path: 'clientID',
          hint: 'a resource belongs to the client of its VEN',
        },
      );
    }
    targets = fields.targets;
  } else {
    targets =
      existing === undefined ? undefined : (parseBody(existing)['targets'] as string[] | null | undefined);
  }
  const { resourceName, venID, attributes } = fields;
  const meta = { id, objectType: 'RESOURCE', createdMs, modifiedMs } as const;
  const body = objectBody(
    meta,
    {},
    {
      clientID: clientId,
      ...(targets === undefined ? {} : { targets }),
      resourceName,
      venID,
      ...(attributes === undefined ? {} : { attributes }),
    },
  );
  return {
    ...meta,
    parentId: venID,
    venId: venID,
    clientId,
    name: resourceName,
    nameKey: openAdrNameKey('RESOURCE', resourceName, venID),
    targets: targets ?? [],
    body,
  };
}
