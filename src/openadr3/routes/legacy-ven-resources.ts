/**
 * OpenADR 3.0.1's `/vens/{venID}/resources` paths, which 3.1.1 replaced by `/resources`: served over the
 * same objects so 3.0.1 clients keep working. The VEN comes from the path; the body is 3.0.1's resource
 * (resourceName, attributes). 3.0.1 target objects cannot be stored as 3.1 target strings, so a body
 * with targets is refused with a pointer to `/resources`. Responses are the 3.1.1 resource.
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import type { TypedApp } from '../../server/route-context.js';
import type { StoredOpenAdrObject } from '../../store/openadr-object-repository.js';
import { sendJsonText } from '../object-views.js';
import { ObjectIdSchema, ShortTextSchema, ValuesMapsSchema } from '../schemas/common.js';
import { ResourceSchema } from '../schemas/objects.js';
import { LegacyResourceSearchSchema, requestedTargets } from '../schemas/queries.js';
import { missing, type VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';
import { resourceRecord } from './resources.js';

const VenParams = Type.Object({ venID: ObjectIdSchema }, { additionalProperties: false });
const Params = Type.Object(
  { venID: ObjectIdSchema, resourceID: ObjectIdSchema },
  { additionalProperties: false },
);

const LegacyResourceBody = Type.Object({
  resourceName: ShortTextSchema,
  attributes: ValuesMapsSchema,
  targets: Type.Optional(Type.Unknown({ description: 'OpenADR 3.0.1 target objects: refused unless empty' })),
});

const LegacySearch = Type.Object(
  { resourceName: Type.Optional(ShortTextSchema), ...LegacyResourceSearchSchema.properties },
  { additionalProperties: false },
);

type LegacyBody = { resourceName: string; attributes?: unknown; targets?: unknown };

export function registerLegacyVenResourceRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/vens/:venID/resources',
    operation('read_ven_objects', {
      operationId: 'searchVenResources301',
      summary: "A VEN's resources (OpenADR 3.0.1 path)",
      params: VenParams,
      querystring: LegacySearch,
      ok: [200, Type.Array(ResourceSchema)],
      errors: [404],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const { venID } = request.params;
      await vtn.getOwned(caller, 'VEN', venID, 'params.venID');
      const { resourceName, skip, limit } = request.query;
      const filters = { venId: venID, name: resourceName, anyTarget: requestedTargets(request.query) };
      return sendJsonText(reply, 200, await vtn.searchOwned(caller, 'RESOURCE', filters, { skip, limit }));
    },
  );

  app.post(
    '/vens/:venID/resources',
    operation('write_vens', {
      operationId: 'createResource301',
      summary: 'Create a resource of a VEN (OpenADR 3.0.1 path)',
      params: VenParams,
      body: LegacyResourceBody,
      ok: [201, ResourceSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const now = vtn.nowMs();
      const body = current(request.body as LegacyBody, request.params.venID);
      const record = await resourceRecord(vtn, caller, vtn.newId(), body, now, now, undefined);
      return sendJsonText(reply, 201, (await vtn.create(caller, record)).bodyText);
    },
  );

  app.get(
    '/vens/:venID/resources/:resourceID',
    operation('read_ven_objects', {
      operationId: 'searchVenResourceByID301',
      summary: 'One resource of a VEN (OpenADR 3.0.1 path)',
      params: Params,
      ok: [200, ResourceSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const stored = await resourceOfVen(vtn, request, request.params.venID, request.params.resourceID);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.put(
    '/vens/:venID/resources/:resourceID',
    operation('write_vens', {
      operationId: 'updateVenResource301',
      summary: 'Update a resource of a VEN (OpenADR 3.0.1 path)',
      params: Params,
      body: LegacyResourceBody,
      ok: [200, ResourceSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await resourceOfVen(vtn, request, request.params.venID, request.params.resourceID);
      const body = current(request.body as LegacyBody, request.params.venID);
      const record = await resourceRecord(
        vtn,
        caller,
        existing.id,
        body,
        existing.createdMs,
        vtn.nowMs(),
        existing,
      );
      return sendJsonText(reply, 200, (await vtn.replace(caller, record)).bodyText);
    },
  );

  app.delete(
    '/vens/:venID/resources/:resourceID',
    operation('write_vens', {
      operationId: 'deleteVenResource301',
      summary: 'Delete a resource of a VEN (OpenADR 3.0.1 path)',
      params: Params,
      ok: [200, ResourceSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const { venID, resourceID } = request.params;
      await resourceOfVen(vtn, request, venID, resourceID);
      const deleted = await vtn.remove(callerOf(request), 'RESOURCE', resourceID, 'params.resourceID');
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

/** The 3.1.1 request a 3.0.1 body stands for: a VEN's own resource request for the VEN in the path. */
function current(body: LegacyBody, venID: string): Record<string, unknown> {
  if (
    Array.isArray(body.targets)
      ? body.targets.length > 0
      : body.targets !== undefined && body.targets !== null
  ) {
    throw new TeError('TE_ERR_VALIDATION', 'OpenADR 3.0.1 target objects cannot be stored', {
      path: 'targets',
      hint: 'grant targets as strings with a BL_RESOURCE_REQUEST at /openadr3/resources',
    });
  }
  const { targets: _targets, ...rest } = body;
  return { ...rest, objectType: 'VEN_RESOURCE_REQUEST', venID };
}

async function resourceOfVen(
  vtn: VtnObjects,
  request: Parameters<typeof callerOf>[0],
  venID: string,
  resourceID: string,
): Promise<StoredOpenAdrObject> {
  const caller = callerOf(request);
  const stored = await vtn.getOwned(caller, 'RESOURCE', resourceID, 'params.resourceID');
  if (stored.venId !== venID) throw missing('RESOURCE', resourceID, 'params.resourceID');
  return stored;
}
