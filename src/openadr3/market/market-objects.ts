/**
 * How the market's programs and events are written: through VtnObjects (audit record, change feed, so
 * webhooks and MQTT notify), as the market operator's business logic. Market events carry a unique name
 * key (`EVENT:{eventName}`), so the store itself refuses a second event for the same slot: a repeat, a
 * restart or a second instance publishing the same slot creates nothing.
 */
import type { TeError } from '../../core/errors.js';
import type { Caller } from '../../server/auth/tokens.js';
import {
  getOpenAdrObject,
  openAdrNameKey,
  searchOpenAdrObjects,
  type StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import { eventEndMs } from '../event-lifespan.js';
import { objectBody } from '../object-views.js';
import type { EventRequest, ProgramRequest } from '../schemas/objects.js';
import type { VtnObjects } from '../vtn-objects.js';

/** Who the publisher is in the audit trail: business logic, with no participant of its own. */
export const MARKET_PUBLISHER: Caller = {
  clientId: 'tenet-market-publisher',
  role: 'market-operator',
  participantId: undefined,
};

export function marketEventNameKey(eventName: string): string {
  return `EVENT:${eventName}`;
}

export async function findByName(
  objects: VtnObjects,
  objectType: 'PROGRAM' | 'EVENT',
  name: string,
): Promise<StoredOpenAdrObject | undefined> {
  const [found] = await searchOpenAdrObjects(objects.db, { objectType, name, skip: 0, limit: 1 });
  return found;
}

/**
 * The program's id: found by name, created when missing, replaced when what the market says of it
 * (name, slot duration, currency) changed. A concurrent creator's program is found on the retry.
 */
export async function ensureProgram(
  objects: VtnObjects,
  caller: Caller,
  request: ProgramRequest,
): Promise<string> {
  const existing = await findByName(objects, 'PROGRAM', request.programName);
  if (existing !== undefined) {
    if (!sameProgram(existing, request))
      await objects.replace(caller, programRecord(objects, request, existing));
    return existing.id;
  }
  try {
    return (await objects.create(caller, programRecord(objects, request, undefined))).id;
  } catch (error) {
    if (!isAlreadyExists(error)) throw error;
    const raced = await findByName(objects, 'PROGRAM', request.programName);
    if (raced === undefined) throw error;
    return raced.id;
  }
}

/** Creates a market event once: `exists` when an event of that name is stored already. */
export async function createEventOnce(
  objects: VtnObjects,
  caller: Caller,
  request: EventRequest,
): Promise<'created' | 'exists'> {
  try {
    await objects.create(caller, eventRecord(objects, request, undefined));
    return 'created';
  } catch (error) {
    if (isAlreadyExists(error)) return 'exists';
    throw error;
  }
}

/** Creates a market event, or replaces the stored one of the same name (an envelope sent again). */
export async function createOrReplaceEvent(
  objects: VtnObjects,
  caller: Caller,
  request: EventRequest,
): Promise<StoredOpenAdrObject> {
  const name = request.eventName ?? '';
  for (let attempt = 0; ; attempt += 1) {
    const existing = await findMarketEvent(objects, name);
    try {
      if (existing !== undefined)
        return await objects.replace(caller, eventRecord(objects, request, existing));
      return await objects.create(caller, eventRecord(objects, request, undefined));
    } catch (error) {
      // Another writer created it between the search and the insert: replace that one.
      if (attempt > 0 || !isAlreadyExists(error)) throw error;
    }
  }
}

/** The market's own event of that name (one written with the name key), not a look-alike a client posted. */
export async function findMarketEvent(
  objects: VtnObjects,
  eventName: string,
): Promise<StoredOpenAdrObject | undefined> {
  const row = await objects.db
    .selectFrom('openadr_objects')
    .select('id')
    .where('name_key', '=', marketEventNameKey(eventName))
    .executeTakeFirst();
  return row === undefined ? undefined : getOpenAdrObject(objects.db, 'EVENT', row.id);
}

function programRecord(
  objects: VtnObjects,
  request: ProgramRequest,
  existing: StoredOpenAdrObject | undefined,
) {
  const now = objects.nowMs();
  const meta = {
    id: existing?.id ?? objects.newId(),
    objectType: 'PROGRAM' as const,
    createdMs: existing?.createdMs ?? now,
    modifiedMs: now,
  };
  return {
    ...meta,
    name: request.programName,
    nameKey: openAdrNameKey('PROGRAM', request.programName),
    targets: request.targets ?? [],
    body: objectBody(meta, request),
  };
}

function eventRecord(objects: VtnObjects, request: EventRequest, existing: StoredOpenAdrObject | undefined) {
  const now = objects.nowMs();
  const meta = {
    id: existing?.id ?? objects.newId(),
    objectType: 'EVENT' as const,
    createdMs: existing?.createdMs ?? now,
    modifiedMs: now,
  };
  const name = request.eventName ?? undefined;
  return {
    ...meta,
    parentId: request.programID,
    programId: request.programID,
    name,
    nameKey: name === undefined ? undefined : marketEventNameKey(name),
    targets: request.targets ?? [],
    endsMs: eventEndMs(request),
    body: objectBody(meta, request),
  };
}

function sameProgram(existing: StoredOpenAdrObject, request: ProgramRequest): boolean {
  const stored = JSON.parse(existing.bodyText) as Record<string, unknown>;
  const pick = (body: Record<string, unknown>) =>
    JSON.stringify([body['programLongName'], body['intervalPeriod'], body['payloadDescriptors']]);
  return pick(stored) === pick(request as unknown as Record<string, unknown>);
}

function isAlreadyExists(error: unknown): boolean {
  return (error as TeError | undefined)?.code === 'TE_ERR_ALREADY_EXISTS';
}
