/**
 * The VTN's generic object operations, shared by the six route files: targeted reads (programs,
 * events), owned reads (reports, subscriptions, VENs, resources), and writes that commit with their audit
 * record and then publish the change. Refusals are thrown as coded errors; the plugin's error handler
 * answers them as problems.
 */
import { randomUUID } from 'node:crypto';
import type { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { auditRecordOf } from '../server/audit-trail.js';
import type { Caller } from '../server/auth/tokens.js';
import { notFound } from '../server/problem.js';
import type { RouteContext } from '../server/route-context.js';
import {
  deleteOpenAdrObject,
  getOpenAdrObject,
  insertOpenAdrObject,
  replaceOpenAdrObject,
  searchOpenAdrBodies,
  searchOpenAdrObjects,
  type OpenAdrObjectRecord,
  type OpenAdrObjectType,
  type OpenAdrSearch,
  type OpenAdrWriteCheck,
  type StoredOpenAdrObject,
} from '../store/openadr-object-repository.js';
import type { OpenAdrChangeFeed, OpenAdrOperation } from './object-changes.js';
import { jsonArrayText, parseBody, targetsOf, venViewText } from './object-views.js';
import { grantedTargetsOf } from './granted-targets.js';
import { hiddenTargets, targetedSearchFor, visibleToVen } from './privacy.js';
import { isBusinessLogic } from './scopes.js';

export type SearchFilters = Omit<OpenAdrSearch, 'objectType' | 'skip' | 'limit'>;
export interface PageQuery {
  readonly skip: number;
  readonly limit: number;
}

const ACTIONS: Readonly<Record<OpenAdrOperation, string>> = {
  CREATE: 'created',
  UPDATE: 'updated',
  DELETE: 'deleted',
};

export class VtnObjects {
  constructor(
    readonly ctx: RouteContext,
    readonly changes: OpenAdrChangeFeed,
  ) {}

  get db() {
    return this.ctx.db;
  }

  nowMs(): number {
    return this.ctx.clock.nowMs();
  }

  newId(): string {
    return randomUUID();
  }

  /** The targets granted to a VEN client (none needed for business logic), see granted-targets.ts. */
  async granted(caller: Caller): Promise<string[]> {
    return grantedTargetsOf(this.db, caller);
  }

  /** Programs or events: a JSON array of what the caller may see, with target hiding for VENs. */
  async searchTargeted(
    caller: Caller,
    objectType: 'PROGRAM' | 'EVENT',
    requested: string[] | undefined,
    filters: SearchFilters,
    page: PageQuery,
  ): Promise<string> {
    const businessLogic = isBusinessLogic(caller);
    // A VEN naming no targets gets the untargeted objects whatever it was granted: nothing to look up.
    const granted = businessLogic || requested === undefined ? [] : await this.granted(caller);
    const plan = targetedSearchFor(businessLogic, requested, granted);
    if (plan.kind === 'nothing') return '[]';
    const rows = await searchOpenAdrBodies(this.db, {
      objectType,
      ...filters,
      ...page,
      ...(plan.kind === 'untargeted' ? { untargetedOnly: true } : {}),
      ...(plan.kind === 'any-of' ? { anyTarget: plan.targets } : {}),
    });
    const through = plan.kind === 'any-of' ? plan.targets : [];
    return jsonArrayText(rows.map((r) => (businessLogic ? r.bodyText : venViewText(r, through))));
  }

  /** One program or event as the caller may see it; 404 when it does not exist or is not targeted to it. */
  async getTargeted(caller: Caller, objectType: 'PROGRAM' | 'EVENT', id: string, param: string) {
    const stored = await getOpenAdrObject(this.db, objectType, id);
    if (stored === undefined) throw missing(objectType, id, `params.${param}`);
    if (isBusinessLogic(caller) || !stored.targeted) return stored.bodyText;
    // One lookup of the grants serves both the visibility check and target hiding.
    const granted = await this.granted(caller);
    const body = parseBody(stored);
    if (!visibleToVen(targetsOf(body), granted)) throw missing(objectType, id, `params.${param}`);
    return JSON.stringify({ ...body, targets: hiddenTargets(targetsOf(body), granted) });
  }

  /** A program or event the caller may see (for references from reports and subscriptions too). */
  async findVisible(
    caller: Caller,
    objectType: 'PROGRAM' | 'EVENT',
    id: string,
    db = this.db,
  ): Promise<StoredOpenAdrObject | undefined> {
    const stored = await getOpenAdrObject(db, objectType, id);
    if (stored === undefined || isBusinessLogic(caller) || !stored.targeted) return stored;
    const granted = await grantedTargetsOf(db, caller);
    return visibleToVen(targetsOf(parseBody(stored)), granted) ? stored : undefined;
  }

  /** Reports, subscriptions, VENs, resources: business logic sees all, a VEN those with its clientID. */
  async searchOwned(
    caller: Caller,
    objectType: OpenAdrObjectType,
    filters: SearchFilters,
    page: PageQuery,
  ): Promise<string> {
    const owner = isBusinessLogic(caller) ? {} : { clientId: caller.clientId };
    const rows = await searchOpenAdrObjects(this.db, { objectType, ...filters, ...owner, ...page });
    return jsonArrayText(rows.map((r) => r.bodyText));
  }

  /** One owned object; 404 for a VEN when it belongs to another client, so its existence stays private. */
  async getOwned(
    caller: Caller,
    objectType: OpenAdrObjectType,
    id: string,
    path: string,
  ): Promise<StoredOpenAdrObject> {
    const stored = await getOpenAdrObject(this.db, objectType, id);
    if (stored === undefined || !ownedBy(caller, stored)) throw missing(objectType, id, path);
    return stored;
  }

  async create(caller: Caller, record: OpenAdrObjectRecord, check?: OpenAdrWriteCheck) {
    const written = await insertOpenAdrObject(
      this.db,
      record,
      this.writeOptions(caller, record, 'CREATE', check),
    );
    return this.published('CREATE', written)[0] as StoredOpenAdrObject;
  }

  async replace(caller: Caller, record: OpenAdrObjectRecord, check?: OpenAdrWriteCheck) {
    const written = await replaceOpenAdrObject(
      this.db,
      record,
      this.writeOptions(caller, record, 'UPDATE', check),
    );
    return this.published('UPDATE', written)[0] as StoredOpenAdrObject;
  }

  /** Deletes an object the caller may change; returns it (its events or resources go with it). */
  async remove(caller: Caller, objectType: OpenAdrObjectType, id: string, path: string) {
    const existing = await this.getOwned(caller, objectType, id, path);
    const deleted = await deleteOpenAdrObject(
      this.db,
      objectType,
      id,
      this.writeOptions(caller, existing, 'DELETE'),
    );
    const [object] = this.published('DELETE', deleted);
    if (object === undefined) throw missing(objectType, id, path);
    return object;
  }

  private writeOptions(
    caller: Caller,
    record: Pick<OpenAdrObjectRecord, 'id' | 'objectType' | 'name'>,
    operation: OpenAdrOperation,
    check?: OpenAdrWriteCheck,
  ) {
    const type = record.objectType.toLowerCase();
    const audit = auditRecordOf(
      this.ctx,
      caller,
      `openadr3-${type}-${ACTIONS[operation]}`,
      `openadr3:${type}:${record.id}`,
      {
        ...(record.name === undefined ? {} : { name: record.name }),
      },
    );
    return { audit, ...(check === undefined ? {} : { check }) };
  }

  private published(
    operation: OpenAdrOperation,
    written: Result<StoredOpenAdrObject | StoredOpenAdrObject[], TeError>,
  ): StoredOpenAdrObject[] {
    if (!written.ok) throw written.error;
    const objects = Array.isArray(written.value) ? written.value : [written.value];
    const atMs = this.nowMs();
    for (const object of objects)
      this.changes.publish({ operation, objectType: object.objectType, object, atMs });
    return objects;
  }
}

/** Business logic may touch every object; a VEN only those carrying its clientID. */
export function ownedBy(caller: Caller, stored: StoredOpenAdrObject): boolean {
  return isBusinessLogic(caller) || stored.clientId === caller.clientId;
}

export function missing(objectType: OpenAdrObjectType, id: string, path: string): TeError {
  return notFound(`no ${objectType.toLowerCase()} '${id}'`, path);
}
