/**
 * Object privacy (Definition, "Object Privacy"): business logic sees every object; a VEN sees the VEN,
 * resource, report and subscription objects whose clientID is its own, and the programs and events that
 * carry no targets or are targeted to it. A VEN is granted targets by business logic through its VEN
 * object and that VEN's resources; it sees a targeted program or event only through targets that are
 * both granted and, in a search, named in the query; and it is shown only those of the object's targets
 * (target hiding). Pure functions: the routes fetch the granted targets and apply the result.
 */

/** What a search for programs or events may return to this caller. */
export type TargetedSearch =
  | { readonly kind: 'all' }
  | { readonly kind: 'untargeted' }
  | { readonly kind: 'any-of'; readonly targets: readonly string[] }
  | { readonly kind: 'nothing' };

/**
 * Business logic: every object, or those with one of the requested targets. A VEN that names no
 * targets gets the untargeted objects; one that names targets gets the objects carrying one of the
 * requested targets that were also granted to it (nothing when none was granted). Untargeted objects
 * do not match a targets filter (the filters are additive), so a VEN asks twice to get both.
 */
export function targetedSearchFor(
  businessLogic: boolean,
  requested: readonly string[] | undefined,
  granted: readonly string[],
): TargetedSearch {
  if (businessLogic)
    return requested === undefined ? { kind: 'all' } : { kind: 'any-of', targets: requested };
  if (requested === undefined) return { kind: 'untargeted' };
  const allowed = new Set(granted);
  const targets = requested.filter((t) => allowed.has(t));
  return targets.length === 0 ? { kind: 'nothing' } : { kind: 'any-of', targets };
}

/**
 * Whether a VEN may see one targeted program or event outside a search (a read by id, or a reference
 * from a report or subscription): there is no targets parameter, so the targets granted to it count.
 */
export function visibleToVen(objectTargets: readonly string[], granted: readonly string[]): boolean {
  if (objectTargets.length === 0) return true;
  const allowed = new Set(granted);
  return objectTargets.some((t) => allowed.has(t));
}

/** Target hiding: the object's targets a VEN may learn, given the targets its read went through. */
export function hiddenTargets(objectTargets: readonly string[], through: readonly string[]): string[] {
  const allowed = new Set(through);
  return objectTargets.filter((t) => allowed.has(t));
}
