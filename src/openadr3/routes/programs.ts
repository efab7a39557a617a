/** Programs: business logic writes them; VENs read the untargeted ones and those targeted to them. */
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../server/auth/authenticate.js';
import type { TypedApp } from '../../server/route-context.js';
import { openAdrNameKey, type OpenAdrObjectRecord } from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, sendJsonText } from '../object-views.js';
import { ProgramRequestSchema, ProgramSchema, type ProgramRequest } from '../schemas/objects.js';
import { idParams, ProgramSearchSchema, requestedTargets } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

const Params = idParams('programID');
const PARAM = 'params.programID';

export function registerProgramRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/programs',
    operation('read_targets', {
      operationId: 'searchAllPrograms',
      summary: 'Search programs (targets, skip, limit)',
      querystring: ProgramSearchSchema,
      ok: [200, Type.Array(ProgramSchema)],
    }),
    async (request, reply) => {
      const { skip, limit } = request.query;
      const page = { skip, limit };
      const text = await vtn.searchTargeted(
        callerOf(request),
        'PROGRAM',
        requestedTargets(request.query),
        {},
        page,
      );
      return sendJsonText(reply, 200, text);
    },
  );

  app.post(
    '/programs',
    operation('write_programs', {
      operationId: 'createProgram',
      summary: 'Create a program',
      body: ProgramRequestSchema,
      ok: [201, ProgramSchema],
      errors: [409],
    }),
    async (request, reply) => {
      const now = vtn.nowMs();
      const stored = await vtn.create(callerOf(request), programRecord(vtn.newId(), request.body, now, now));
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/programs/:programID',
    operation('read_targets', {
      operationId: 'searchProgramByProgramId',
      summary: 'One program',
      params: Params,
      ok: [200, ProgramSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const text = await vtn.getTargeted(callerOf(request), 'PROGRAM', request.params.programID, 'programID');
      return sendJsonText(reply, 200, text);
    },
  );

  app.put(
    '/programs/:programID',
    operation('write_programs', {
      operationId: 'updateProgram',
      summary: 'Update a program',
      params: Params,
      body: ProgramRequestSchema,
      ok: [200, ProgramSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'PROGRAM', request.params.programID, PARAM);
      const record = programRecord(existing.id, request.body, existing.createdMs, vtn.nowMs());
      const stored = await vtn.replace(caller, record);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    '/programs/:programID',
    operation('write_programs', {
      operationId: 'deleteProgram',
      summary: 'Delete a program (and its events)',
      params: Params,
      ok: [200, ProgramSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(callerOf(request), 'PROGRAM', request.params.programID, PARAM);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

function programRecord(
  id: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
): OpenAdrObjectRecord {
  const fields = keepKnownProperties(request, ProgramRequestSchema) as ProgramRequest;
  return {
    id,
    objectType: 'PROGRAM',
    name: fields.programName,
    nameKey: openAdrNameKey('PROGRAM', fields.programName),
    targets: fields.targets ?? [],
    createdMs,
    modifiedMs,
    body: objectBody({ id, objectType: 'PROGRAM', createdMs, modifiedMs }, fields),
  };
}
