/** Programs: business logic writes them; VENs read the untargeted ones and those targeted to them. */
import type { Static } from '@sinclair/typebox';
import type { TypedApp } from '../../server/route-context.js';
import { openAdrNameKey } from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody } from '../object-views.js';
import { ProgramRequestSchema, ProgramSchema, type ProgramRequest } from '../schemas/objects.js';
import { ProgramSearchSchema, requestedTargets } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { registerObjectCollection, type ObjectCollection } from './object-collection.js';

const PROGRAMS: ObjectCollection<Static<typeof ProgramSearchSchema>> = {
  path: '/programs',
  param: 'programID',
  objectType: 'PROGRAM',
  operations: {
    search: ['searchAllPrograms', 'Search programs (targets, skip, limit)'],
    create: ['createProgram', 'Create a program'],
    get: ['searchProgramByProgramId', 'One program'],
    update: ['updateProgram', 'Update a program'],
    delete: ['deleteProgram', 'Delete a program (and its events)'],
  },
  scopes: { read: 'read_targets', write: 'write_programs' },
  schemas: { search: ProgramSearchSchema, request: ProgramRequestSchema, object: ProgramSchema },
  search: (vtn, caller, query) =>
    vtn.searchTargeted(
      caller,
      'PROGRAM',
      requestedTargets(query),
      {},
      { skip: query.skip, limit: query.limit },
    ),
  read: (vtn, caller, id, path) => vtn.getTargeted(caller, 'PROGRAM', id, path),
  async record(_vtn, _caller, { id, request, createdMs, modifiedMs }) {
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
  },
};

export function registerProgramRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, PROGRAMS);
}
