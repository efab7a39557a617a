/**
 * A VEN's report becomes meter readings in the report's own transaction: a stored report never lacks
 * its readings, and a reading that cannot be stored (a bad value, a meter the VEN may not write for)
 * rejects the report with nothing stored. A resource named after a meter (a participant id for a
 * premises meter, or a device id) is that meter; any other resource name is the VEN's own premises
 * meter (its client's participant). Readings keep the REST API's rules (POST /api/meter-readings): the
 * VEN's role must be allowed to write the meter's readings (an aggregator writes its members'), and a
 * resend keeps the first reading stored for a meter and time. Business logic's reports carry no
 * readings.
 */
import type { Kysely } from 'kysely';
import type { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import { participantsInScope, covers } from '../../server/access/participant-scope.js';
import { scopeOf } from '../../server/access/access-matrix.js';
import { auditRecordOf } from '../../server/audit-trail.js';
import type { Caller } from '../../server/auth/tokens.js';
import { forbidden } from '../../server/problem.js';
import { meterOwners } from '../../server/queries/registry-queries.js';
import type { RouteContext } from '../../server/route-context.js';
import { writeAuditRecord } from '../../store/audit-repository.js';
import { insertMeterReadingsIn } from '../../store/meter-reading-repository.js';
import type { OpenAdrObjectRecord, OpenAdrWriteCheck } from '../../store/openadr-object-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import type { ReportRequest } from '../schemas/objects.js';
import { isBusinessLogic } from '../scopes.js';
import { firstOverlap, readingsFromReport, type ReportReading } from './usage-reports.js';

/** The check that stores a report's readings with it; undefined when the report carries none. */
export function reportReadingsCheck(
  ctx: Pick<RouteContext, 'clock'>,
  caller: Caller,
  record: OpenAdrObjectRecord,
): OpenAdrWriteCheck | undefined {
  if (isBusinessLogic(caller)) return undefined;
  const parsed = readingsFromReport(record.body as ReportRequest);
  if (!parsed.ok) return () => Promise.resolve(parsed.error);
  if (parsed.value.length === 0) return undefined;
  return async (tx) => {
    const mapped = await onMeters(tx, caller, parsed.value);
    if (!mapped.ok) return mapped.error;
    const readings = mapped.value;
    const overlap = firstOverlap(readings);
    if (overlap !== undefined) return overlap;
    const inserted = await insertMeterReadingsIn(tx, readings);
    const times = readings.map((r) => r.timeMs);
    await writeAuditRecord(
      tx,
      auditRecordOf(ctx, caller, 'meter-readings-ingested', 'meter-readings', {
        via: `openadr3:report:${record.id}`,
        received: readings.length,
        inserted,
        meters: new Set(readings.map((r) => r.meterId)).size,
        fromMs: Math.min(...times),
        toMs: Math.max(...times),
      }),
    );
    return undefined;
  };
}

/** The readings on their meters, or why the caller may not write them. */
async function onMeters(
  tx: Kysely<StoreSchema>,
  caller: Caller,
  readings: readonly ReportReading[],
): Promise<Result<ReportReading[], TeError>> {
  const scope = scopeOf(caller.role, 'meter-readings:write');
  const own = caller.participantId;
  const owners = await meterOwners(
    tx,
    readings.map((r) => r.meterId),
  );
  if (scope === 'none') {
    return err(forbidden(`role '${caller.role}' may not write meter readings`));
  }
  if (own === undefined) {
    return err(
      forbidden(
        `client '${caller.clientId}' acts for no participant, so its USAGE or DEMAND is no meter's readings`,
        'report usage from a VEN client registered for a participant (its premises meter, or those it represents)',
      ),
    );
  }
  const allowed = await participantsInScope(tx, caller, scope);
  const onMeter = readings.map((r) => (owners.has(r.meterId) ? r : { ...r, meterId: own as string }));
  for (const meterId of new Set(onMeter.map((r) => r.meterId))) {
    const owner = owners.get(meterId) ?? own;
    if (owner === undefined || !covers(allowed, owner)) {
      return err(
        forbidden(
          `role '${caller.role}' may not write readings of meter '${meterId}'`,
          'report the meters of your own participant (or of those you represent) only',
        ),
      );
    }
  }
  return ok(onMeter);
}
