/**
 * Reports: a VEN writes them about an event it can see, and the VTN stamps them with the VEN's clientID
 * and the event's programID; a VEN reads its own, business logic all. Deleting an event or program
 * leaves its reports (they are the VEN's data). A VEN's USAGE (or DEMAND) intervals become meter readings
 * in the report's own transaction (market/report-readings.ts).
 */
import type { Static } from '@sinclair/typebox';
import { TeError } from '../../core/errors.js';
import type { TypedApp } from '../../server/route-context.js';
import { keepKnownProperties } from '../known-properties.js';
import { reportReadingsCheck } from '../market/report-readings.js';
import { objectBody } from '../object-views.js';
import { ReportRequestSchema, ReportSchema, type ReportRequest } from '../schemas/objects.js';
import { ReportSearchSchema } from '../schemas/queries.js';
import type { VtnObjects } from '../vtn-objects.js';
import { readOwned, registerObjectCollection, type ObjectCollection } from './object-collection.js';

const REPORTS: ObjectCollection<Static<typeof ReportSearchSchema>> = {
  path: '/reports',
  param: 'reportID',
  objectType: 'REPORT',
  operations: {
    search: ['searchAllReports', 'Search reports (programID, eventID, clientName, skip, limit)'],
    create: ['createReport', 'Create a report about an event'],
    get: ['searchReportsByReportID', 'One report'],
    update: ['updateReport', 'Update a report'],
    delete: ['deleteReport', 'Delete a report'],
  },
  scopes: { read: 'read_ven_objects', write: 'write_reports' },
  schemas: { search: ReportSearchSchema, request: ReportRequestSchema, object: ReportSchema },
  search(vtn, caller, { programID, eventID, clientName, skip, limit }) {
    return vtn.searchOwned(
      caller,
      'REPORT',
      { programId: programID, eventId: eventID, clientName },
      { skip, limit },
    );
  },
  read: (vtn, caller, id, path) => readOwned(vtn, caller, 'REPORT', id, path),
  writeCheck: (vtn, caller, record) => reportReadingsCheck(vtn.ctx, caller, record),
  async record(vtn, caller, { id, request, createdMs, modifiedMs }, existing) {
    const fields = keepKnownProperties(request, ReportRequestSchema) as ReportRequest;
    const event = await vtn.findVisible(caller, 'EVENT', fields.eventID);
    if (event === undefined) {
      throw new TeError(
        'TE_ERR_UNKNOWN_REFERENCE',
        `no event '${fields.eventID}' this client may report on`,
        {
          path: 'eventID',
          hint: 'report on an event the VEN can read (GET /openadr3/events)',
        },
      );
    }
    const clientId = existing?.clientId ?? caller.clientId;
    const meta = { id, objectType: 'REPORT', createdMs, modifiedMs } as const;
    return {
      ...meta,
      programId: event.programId,
      eventId: fields.eventID,
      clientId,
      clientName: fields.clientName,
      name: fields.reportName ?? undefined,
      targets: [],
      body: objectBody(meta, fields, { clientID: clientId, programID: event.programId }),
    };
  },
};

export function registerReportRoutes(app: TypedApp, vtn: VtnObjects): void {
  registerObjectCollection(app, vtn, REPORTS);
}
