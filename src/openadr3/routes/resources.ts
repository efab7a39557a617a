/**
 * VEN resources (`/resources`, 3.1.1). A resource belongs to a VEN object and carries its clientID: a
 * VEN adds resources to its own VEN (VEN_RESOURCE_REQUEST); business logic may also grant targets
 * (BL_RESOURCE_REQUEST, whose clientID must be the VEN's). resourceName is unique within its VEN (409).
 * OpenADR 3.0.1's `/vens/{venID}/resources` paths are in `legacy-ven-resources.ts`.
 */
import type { Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { TypedApp } from '../../server/route-context.js';
import {
  openAdrNameKey,
  type OpenAdrObjectRecord,
  type StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, parseBody } from '../object-views.js';
import { ResourceRequestSchema, ResourceSchema, type ResourceRequest } from '../schemas/objects.js';
import { requestedTargets, ResourceSearchSchema } from '../schemas/queries.js';
import { isBusinessLogic } from '../scopes.js';
import type { VtnObjects } from '../vtn-objects.js';
import { registerLegacyVenResourceRoutes } from './legacy-ven-resources.js';
import { readOwned, registerObjectCollection, type ObjectCollection } from './object-collection.js';
import { onlyBusinessLogic } from './vens.js';

const RESOURCES: ObjectCollection<Static<typeof ResourceSearchSchema>> = {
  path: '/resources',
  param: 'resourceID',
  objectType: 'RESOURCE',
  operations: {
    search: ['searchVenResources', 'Search VEN resources (resourceName, venID, targets, skip, limit)'],
    create: ['createResource', 'Create a VEN resource'],
    get: ['searchVenResourceByID', 'One VEN resource'],
    update: ['updateVenResource', 'Update a VEN resource'],
    delete: ['deleteVenResource', 'Delete a VEN resource'],
  },
  scopes: { read: 'read_ven_objects', write: 'write_vens' },
  schemas: { search: ResourceSearchSchema, request: ResourceRequestSchema, object: ResourceSchema },
  searchErrors: [404],
  createErrors: [404],
  async search(vtn, caller, query) {
    if (query.venID !== undefined) await vtn.getOwned(caller, 'VEN', query.venID, 'query.venID');
    const filters = { name: query.resourceName, venId: query.venID, anyTarget: requestedTargets(query) };
    return vtn.searchOwned(caller, 'RESOURCE', filters, { skip: query.skip, limit: query.limit });
  },
  read: (vtn, caller, id, path) => readOwned(vtn, caller, 'RESOURCE', id, path),
  record: (vtn, caller, { id, request, createdMs, modifiedMs }, existing) =>
    resourceRecord(vtn, caller, id, request, createdMs, modifiedMs, existing),
};

export function registerResourceRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, RESOURCES);
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
