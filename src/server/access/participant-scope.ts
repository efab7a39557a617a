/**
 * Applying a scope from the access matrix to participant ids: which participants a caller may see or
 * act for. `own` is the caller's participant; `represented` adds those whose aggregator it is.
 */
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';
import type { Caller } from '../auth/tokens.js';
import { forbidden } from '../problem.js';
import { representedBy } from '../queries/registry-queries.js';
import { scopeOf, type ResourceAction, type Scope } from './access-matrix.js';

/** The caller's scope for this resource-action; `none` is refused here. */
export function requireScope(caller: Caller, resourceAction: ResourceAction): Scope {
  const scope = scopeOf(caller.role, resourceAction);
  if (scope === 'none') {
    throw forbidden(`role '${caller.role}' may not ${describe(resourceAction)}`);
  }
  return scope;
}

/** Participant ids the caller may see or act for under `scope`: 'all', or a (possibly empty) set. */
export async function participantsInScope(
  db: Kysely<StoreSchema>,
  caller: Caller,
  scope: Scope,
): Promise<'all' | ReadonlySet<string>> {
  if (scope === 'all') return 'all';
  if (scope !== 'own' && scope !== 'represented') return new Set();
  const own = caller.participantId;
  if (own === undefined) return new Set();
  if (scope === 'own') return new Set([own]);
  return new Set([own, ...(await representedBy(db, own))]);
}

/** Refuses unless the caller's scope for `resourceAction` covers `participantId` by name. */
export async function requireParticipantAccess(
  db: Kysely<StoreSchema>,
  caller: Caller,
  resourceAction: ResourceAction,
  participantId: string,
): Promise<Scope> {
  const scope = requireScope(caller, resourceAction);
  const allowed = await participantsInScope(db, caller, scope);
  if (allowed !== 'all' && !allowed.has(participantId)) {
    throw forbidden(
      `role '${caller.role}' may not ${describe(resourceAction)} for participant '${participantId}'`,
      scope === 'own' || scope === 'represented'
        ? `this client acts for ${caller.participantId === undefined ? 'no participant' : `'${caller.participantId}'`}${scope === 'represented' ? ' and the participants it represents' : ''}`
        : undefined,
    );
  }
  return scope;
}

export function covers(allowed: 'all' | ReadonlySet<string>, participantId: string): boolean {
  return allowed === 'all' || allowed.has(participantId);
}

function describe(resourceAction: ResourceAction): string {
  const [resource, action] = resourceAction.split(':');
  return `${action === 'write' ? 'change' : 'read'} ${resource ?? resourceAction}`;
}
