/**
 * The five operations every OpenADR object type has (search, create, get, update, delete), declared once:
 * each route file describes its type (operationIds, schemas, scopes, how it is read and what is stored
 * of a request) and this registers the routes. Creates answer 201, the rest 200, with the object as
 * served; updates keep the id and creation time of the object they replace.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { callerOf } from '../../server/auth/authenticate.js';
import type { Caller } from '../../server/auth/tokens.js';
import type { TypedApp } from '../../server/route-context.js';
import type {
  OpenAdrObjectRecord,
  OpenAdrObjectType,
  OpenAdrWriteCheck,
  StoredOpenAdrObject,
} from '../../store/openadr-object-repository.js';
import { sendJsonText } from '../object-views.js';
import { idParams } from '../schemas/queries.js';
import type { OpenAdrScope } from '../scopes.js';
import type { PageQuery, VtnObjects } from '../vtn-objects.js';
import { operation } from './operation.js';

/** The operationId and summary of each of the five operations, as the published document names them. */
type Operations = Readonly<
  Record<'search' | 'create' | 'get' | 'update' | 'delete', readonly [string, string]>
>;

export interface ObjectCollection<Query> {
  readonly path: `/${string}`;
  readonly param: string;
  readonly objectType: OpenAdrObjectType;
  readonly operations: Operations;
  readonly scopes: { readonly read: OpenAdrScope; readonly write: OpenAdrScope };
  readonly schemas: { readonly search: TSchema; readonly request: TSchema; readonly object: TSchema };
  /** Error statuses beyond 400, 401, 403 (and 404 for the by-id operations, 409 for writes). */
  readonly searchErrors?: readonly number[];
  readonly createErrors?: readonly number[];
  search(vtn: VtnObjects, caller: Caller, query: Query & PageQuery): Promise<string>;
  /** One object as this caller may see it (404 otherwise). */
  read(vtn: VtnObjects, caller: Caller, id: string, path: string): Promise<string>;
  /** What is stored of a request; `existing` is the object an update replaces. */
  record(
    vtn: VtnObjects,
    caller: Caller,
    write: { id: string; request: unknown; createdMs: number; modifiedMs: number },
    existing: StoredOpenAdrObject | undefined,
  ): Promise<OpenAdrObjectRecord>;
  /** Refuses a create or update request by throwing a coded error, before anything is read or written. */
  checkRequest?(request: FastifyRequest): void;
  /** Checked inside an update's transaction. */
  updateCheck?(existing: StoredOpenAdrObject, record: OpenAdrObjectRecord): OpenAdrWriteCheck;
  /** Run inside a create's or update's transaction (after updateCheck): a report's meter readings. */
  writeCheck?(vtn: VtnObjects, caller: Caller, record: OpenAdrObjectRecord): OpenAdrWriteCheck | undefined;
}

export function registerObjectCollection<Query>(
  app: TypedApp,
  vtn: VtnObjects,
  c: ObjectCollection<Query>,
): void {
  const byId = `${c.path}/:${c.param}`;
  const params = idParams(c.param);
  const paramPath = `params.${c.param}`;
  const { search, create, get, update } = c.operations;
  const remove = c.operations.delete;

  app.get(
    c.path,
    operation(c.scopes.read, {
      operationId: search[0],
      summary: search[1],
      querystring: c.schemas.search,
      ok: [200, Type.Array(c.schemas.object)],
      errors: c.searchErrors ?? [],
    }),
    async (request, reply) => {
      const query = request.query as Query & PageQuery;
      return sendJsonText(reply, 200, await c.search(vtn, callerOf(request), query));
    },
  );

  app.post(
    c.path,
    operation(c.scopes.write, {
      operationId: create[0],
      summary: create[1],
      body: c.schemas.request,
      ok: [201, c.schemas.object],
      errors: [409, ...(c.createErrors ?? [])],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      c.checkRequest?.(request);
      const now = vtn.nowMs();
      const write = { id: vtn.newId(), request: request.body, createdMs: now, modifiedMs: now };
      const record = await c.record(vtn, caller, write, undefined);
      const stored = await vtn.create(caller, record, c.writeCheck?.(vtn, caller, record));
      return sendJsonText(reply, 201, stored.bodyText);
    },
  );

  app.get(
    byId,
    operation(c.scopes.read, {
      operationId: get[0],
      summary: get[1],
      params,
      ok: [200, c.schemas.object],
      errors: [404],
    }),
    async (request, reply) => {
      const id = (request.params as Record<string, string>)[c.param] as string;
      return sendJsonText(reply, 200, await c.read(vtn, callerOf(request), id, paramPath));
    },
  );

  app.put(
    byId,
    operation(c.scopes.write, {
      operationId: update[0],
      summary: update[1],
      params,
      body: c.schemas.request,
      ok: [200, c.schemas.object],
      errors: [404, 409],
    }),
    async (request, reply) => {
      const caller = callerOf(request);
      c.checkRequest?.(request);
      const id = (request.params as Record<string, string>)[c.param] as string;
      const existing = await vtn.getOwned(caller, c.objectType, id, paramPath);
      const write = { id, request: request.body, createdMs: existing.createdMs, modifiedMs: vtn.nowMs() };
      const record = await c.record(vtn, caller, write, existing);
      const checks = [c.updateCheck?.(existing, record), c.writeCheck?.(vtn, caller, record)];
      const stored = await vtn.replace(caller, record, inOrder(checks));
      return sendJsonText(reply, 200, stored.bodyText);
    },
  );

  app.delete(
    byId,
    operation(c.scopes.write, {
      operationId: remove[0],
      summary: remove[1],
      params,
      ok: [200, c.schemas.object],
      errors: [404],
    }),
    async (request, reply) => {
      const id = (request.params as Record<string, string>)[c.param] as string;
      const deleted = await vtn.remove(callerOf(request), c.objectType, id, paramPath);
      return sendJsonText(reply, 200, deleted.bodyText);
    },
  );
}

/** The checks one after the other: the first refusal wins. */
function inOrder(checks: readonly (OpenAdrWriteCheck | undefined)[]): OpenAdrWriteCheck | undefined {
  const present = checks.filter((check): check is OpenAdrWriteCheck => check !== undefined);
  if (present.length <= 1) return present[0];
  return async (tx) => {
    for (const check of present) {
      const problem = await check(tx);
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

/** How owned objects (reports, subscriptions, VENs, resources) are read. */
export async function readOwned(
  vtn: VtnObjects,
  caller: Caller,
  objectType: OpenAdrObjectType,
  id: string,
  path: string,
): Promise<string> {
  return (await vtn.getOwned(caller, objectType, id, path)).bodyText;
}
