/**
 * The targets a VEN may read through. Business logic grants targets explicitly through a VEN's VEN and
 * resource objects; the platform's own identity grants the rest, so the participant registry stays the
 * one source of truth for who a VEN speaks for: a client is granted `participant:{id}` for every
 * participant whose devices the access matrix lets it control (its own; an aggregator's or microgrid
 * operator's represented participants too). The market publisher targets a customer's operating
 * envelope and an aggregator's dispatch with these.
 *
 * One caller at a time for a request (`grantedTargetsOf`), or every client at once for the notifiers
 * (`grantedTargetsOfAll`, a fixed number of queries however many VENs there are); both apply the same
 * rule (`grantedFrom`).
 */
import type { Kysely } from 'kysely';
import type { Caller } from '../server/auth/tokens.js';
import { scopeOf } from '../server/access/access-matrix.js';
import { representedBy } from '../server/queries/registry-queries.js';
import { grantedOpenAdrTargets, grantedOpenAdrTargetsByClient } from '../store/openadr-object-repository.js';
import type { StoreSchema } from '../store/schema.js';
import { isBusinessLogic } from './scopes.js';

const PARTICIPANT_TARGET_PREFIX = 'participant:';

/** The target naming one participant of the platform, e.g. `participant:home-7`. */
export function participantTarget(participantId: string): string {
  return `${PARTICIPANT_TARGET_PREFIX}${participantId}`;
}

/** The targets granted to a VEN caller, sorted and distinct; none for business logic (it reads all). */
export async function grantedTargetsOf(db: Kysely<StoreSchema>, caller: Caller): Promise<string[]> {
  if (isBusinessLogic(caller)) return [];
  const explicit = await grantedOpenAdrTargets(db, caller.clientId);
  const own = caller.participantId;
  const represented =
    own !== undefined && scopeOf(caller.role, 'devices:write') === 'represented'
      ? await representedBy(db, own)
      : [];
  return grantedFrom(caller, explicit, represented);
}

/** Granted targets of many callers, by client id (see `grantedTargetsOfAll`). */
export type GrantedTargetsByClient = (caller: Caller) => string[];

/**
 * The granted targets of any caller, read for all clients at once: the targets of every client's VEN
 * and resource objects, and who represents whom. The answer for a caller equals `grantedTargetsOf`'s
 * at the moment of the read.
 */
export async function grantedTargetsOfAll(db: Kysely<StoreSchema>): Promise<GrantedTargetsByClient> {
  const explicit = await grantedOpenAdrTargetsByClient(db);
  const represented = await representedByAggregator(db);
  return (caller) =>
    isBusinessLogic(caller)
      ? []
      : grantedFrom(
          caller,
          explicit.get(caller.clientId) ?? [],
          caller.participantId === undefined ? [] : (represented.get(caller.participantId) ?? []),
        );
}

/**
 * The rule: the client's explicit targets, and `participant:{id}` for the participants whose devices
 * its role controls (`own`: its own; `represented`: its own and those it represents; else none; `all`
 * belongs to business logic only, which is granted nothing because it reads everything).
 */
function grantedFrom(
  caller: Caller,
  explicit: readonly string[],
  representedByCaller: readonly string[],
): string[] {
  const granted = new Set(explicit);
  const scope = scopeOf(caller.role, 'devices:write');
  const own = caller.participantId;
  if ((scope === 'own' || scope === 'represented') && own !== undefined) {
    granted.add(participantTarget(own));
    if (scope === 'represented') for (const id of representedByCaller) granted.add(participantTarget(id));
  }
  return [...granted].sort();
}

/** Participants with an aggregator, by that aggregator's id. */
async function representedByAggregator(db: Kysely<StoreSchema>): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('participants')
    .select(['id', 'aggregator_id'])
    .where('aggregator_id', 'is not', null)
    .orderBy('id')
    .execute();
  const byAggregator = new Map<string, string[]>();
  for (const row of rows) {
    const aggregator = row.aggregator_id as string;
    const list = byAggregator.get(aggregator) ?? [];
    list.push(row.id);
    byAggregator.set(aggregator, list);
  }
  return byAggregator;
}
