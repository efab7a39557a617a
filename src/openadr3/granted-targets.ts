/**
 * The targets a VEN may read through. Business logic grants targets explicitly through a VEN's VEN and
 * resource objects; the platform's own identity grants the rest, so the participant registry stays the
 * one source of truth for who a VEN speaks for: a client is granted `participant:{id}` for every
 * participant whose devices the access matrix lets it control (its own; an aggregator's or microgrid
 * operator's represented participants too). The market publisher targets a customer's operating
 * envelope and an aggregator's dispatch with these.
 */
import type { Kysely } from 'kysely';
import type { Caller } from '../server/auth/tokens.js';
import { scopeOf } from '../server/access/access-matrix.js';
import { participantsInScope } from '../server/access/participant-scope.js';
import { grantedOpenAdrTargets } from '../store/openadr-object-repository.js';
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
  const granted = new Set(await grantedOpenAdrTargets(db, caller.clientId));
  const controlled = await participantsInScope(db, caller, scopeOf(caller.role, 'devices:write'));
  // 'all' belongs to business logic only, which returned above.
  if (controlled !== 'all') for (const id of controlled) granted.add(participantTarget(id));
  return [...granted].sort();
}
