/**
 * Reports: a VEN writes them about an event it can see, and the VTN stamps them with the VEN's clientID
 * and the event's programID; a VEN reads its own, business logic all. Deleting an event or program
 * leaves its reports (they are the VEN's data).
 */
import { Type } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import { callerOf } from '../../server/auth/authenticate.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { TypedApp } from '../../server/route-context.js';
import type { OpenAdrObjectRecord } from '../../store/openadr-object-repository.js';
import { keepKnownProperties } from '../known-properties.js';
import { objectBody, sendJsonText } from '../object-views.js';
import { ReportRequestSchema, ReportSchema, type ReportRequest } from '../schemas/objects.js';
import { idParams, ReportSearchSchema } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

const Params = idParams('reportID');
const PARAM = 'params.reportID';

export function registerReportRoutes(app: TypedApp, vtn: VtnObjects): void {
  app.get(
    '/reports',
    operation('read_ven_objects', {
      operationId: 'searchAllReports',
      summary: 'Search reports (programID, eventID, clientName, skip, limit)',
      querystring: ReportSearchSchema,
      ok: [200, Type.Array(ReportSchema)],
    }),
    async (request, reply) => {
      const { programID, eventID, clientName, skip, limit } = request.query;
      const filters = { programId: programID, eventId: eventID, clientName };
      const text = await vtn.searchOwned(callerOf(request), 'REPORT', filters, { skip, limit });
      return sendJsonText(reply, 200, text);
    },
  );

  app.post(
    '/reports',
    operation('write_reports', {
      operationId: 'createReport',
      summary: 'Create a report about an event',
      body: ReportRequestSchema,
      ok: [201, ReportSchema],
      errors: [409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const now = vtn.nowMs();
      const record = await reportRecord(vtn, caller, vtn.newId(), caller.clientId, request.body, now, now);
      const stored = await vtn.create(caller, record);
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    '/reports/:reportID',
    operation('read_ven_objects', {
      operationId: 'searchReportsByReportID',
      summary: 'One report',
      params: Params,
      ok: [200, ReportSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const stored = await vtn.getOwned(callerOf(request), 'REPORT', request.params.reportID, PARAM);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.put(
    '/reports/:reportID',
    operation('write_reports', {
      operationId: 'updateReport',
      summary: 'Update a report',
      params: Params,
      body: ReportRequestSchema,
      ok: [200, ReportSchema],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      const existing = await vtn.getOwned(caller, 'REPORT', request.params.reportID, PARAM);
      const owner = existing.clientId ?? caller.clientId;
      const record = await reportRecord(
        vtn,
        caller,
        existing.id,
        owner,
        request.body,
        existing.createdMs,
        vtn.nowMs(),
      );
      const stored = await vtn.replace(caller, record);
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    '/reports/:reportID',
    operation('write_reports', {
      operationId: 'deleteReport',
      summary: 'Delete a report',
      params: Params,
      ok: [200, ReportSchema],
      errors: [404],
    }),
    async (request, reply) => {
      const deleted = await vtn.remove(callerOf(request), 'REPORT', request.params.reportID, PARAM);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

async function reportRecord(
  vtn: VtnObjects,
  caller: Caller,
  id: string,
  clientId: string,
  request: unknown,
  createdMs: number,
  modifiedMs: number,
): Promise<OpenAdrObjectRecord> {
  const fields = keepKnownProperties(request, ReportRequestSchema) as ReportRequest;
  const event = await vtn.findVisible(caller, 'EVENT', fields.eventID);
  if (event === undefined) {
    throw new TeError('TE_ERR_UNKNOWN_REFERENCE', `no event '${fields.eventID}' this client may report on`, {
      path: 'eventID',
      hint: 'report on an event the VEN can read (GET /openadr3/events)',
    });
  }
  const meta = { id, objectType: 'REPORT', createdMs, modifiedMs } as const;
  return {
    id,
    objectType: 'REPORT',
    programId: event.programId,
    eventId: fields.eventID,
    clientId,
    clientName: fields.clientName,
    name: fields.reportName ?? undefined,
    targets: [],
    createdMs,
    modifiedMs,
    body: objectBody(meta, fields, { clientID: clientId, programID: event.programId }),
  };
}
