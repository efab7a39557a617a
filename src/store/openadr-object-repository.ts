/**
 * OpenADR 3 objects (programs, events, reports, subscriptions, VENs, resources) in one table: the object
 * as served (JSON text) beside the columns searches and privacy rules filter on, and a side table of its
 * target values. The VTN (`src/openadr3/`) decides what is valid and who may see what; this module
 * stores, finds and pages. Every write is one transaction with its audit record and the caller's checks,
 * so nothing is stored when a check, a unique name or a reference fails.
 */
import type Database from 'better-sqlite3';
import {
  sql,
  type Compilable,
  type Kysely,
  type Selectable,
  type SelectQueryBuilder,
  type Transaction,
} from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { writeAuditRecord, type AuditRecord } from './audit-repository.js';
import { sqliteFileOf } from './database.js';
import { toJsonText } from './json-column.js';
import type { OpenAdrObjectTable, StoreSchema } from './schema.js';
import { isUniqueViolation } from './store-errors.js';

type Db = Kysely<StoreSchema>;

export const OPENADR_OBJECT_TYPES = [
  'PROGRAM',
  'EVENT',
  'REPORT',
  'SUBSCRIPTION',
  'VEN',
  'RESOURCE',
] as const;
export type OpenAdrObjectType = (typeof OPENADR_OBJECT_TYPES)[number];

/** What the VTN writes for one object. */
export interface OpenAdrObjectRecord {
  readonly id: string;
  readonly objectType: OpenAdrObjectType;
  /** The program of an event, the VEN of a resource: the object is deleted with it. */
  readonly parentId?: string | undefined;
  readonly programId?: string | undefined;
  readonly eventId?: string | undefined;
  readonly venId?: string | undefined;
  /** The OAuth client the object belongs to (reports, subscriptions, VENs, resources). */
  readonly clientId?: string | undefined;
  readonly clientName?: string | undefined;
  readonly name?: string | undefined;
  /** Unique on the VTN when set (see `openAdrNameKey`). */
  readonly nameKey?: string | undefined;
  readonly targets: readonly string[];
  /** Subscriptions: the object types they name. */
  readonly subscribedObjects?: readonly string[] | undefined;
  /** Events: when the last interval ends, epoch ms; undefined when never or unknown. */
  readonly endsMs?: number | undefined;
  readonly createdMs: number;
  readonly modifiedMs: number;
  /** The object as served to business logic; stored as JSON text. */
  readonly body: unknown;
}

/** A stored object: its columns and the JSON text of its body, ready to send. */
export interface StoredOpenAdrObject {
  readonly seq: number;
  readonly id: string;
  readonly objectType: OpenAdrObjectType;
  readonly parentId: string | undefined;
  readonly programId: string | undefined;
  readonly eventId: string | undefined;
  readonly venId: string | undefined;
  readonly clientId: string | undefined;
  readonly clientName: string | undefined;
  readonly name: string | undefined;
  readonly targeted: boolean;
  readonly endsMs: number | undefined;
  readonly createdMs: number;
  readonly modifiedMs: number;
  readonly bodyText: string;
}

/** Filters of a search; every one given must match (the spec's filters are additive). */
export interface OpenAdrSearch {
  readonly objectType: OpenAdrObjectType;
  readonly programId?: string | undefined;
  readonly eventId?: string | undefined;
  readonly venId?: string | undefined;
  readonly clientId?: string | undefined;
  readonly clientName?: string | undefined;
  readonly name?: string | undefined;
  /** Objects with at least one of these targets (an empty list matches nothing). */
  readonly anyTarget?: readonly string[] | undefined;
  /** Only objects without targets. */
  readonly untargetedOnly?: boolean | undefined;
  /** Subscriptions naming at least one of these object types. */
  readonly subscribedToAny?: readonly string[] | undefined;
  /** Events that have not ended at this time (no known end, or an end after it). */
  readonly activeAtMs?: number | undefined;
  readonly skip: number;
  readonly limit: number;
}

/** Runs inside a write's transaction before it writes: an error undoes everything. */
export type OpenAdrWriteCheck = (tx: Db) => Promise<TeError | undefined>;

export interface OpenAdrWriteOptions {
  readonly check?: OpenAdrWriteCheck;
  readonly audit?: AuditRecord;
}

/** The unique key of a name the spec wants unique: programs and VENs per VTN, resources per VEN. */
export function openAdrNameKey(
  objectType: OpenAdrObjectType,
  name: string,
  venId?: string,
): string | undefined {
  if (objectType === 'PROGRAM' || objectType === 'VEN') return `${objectType}:${name}`;
  // VEN ids match ^[A-Za-z0-9_-]*$, so the second colon cannot be part of the id.
  if (objectType === 'RESOURCE' && venId !== undefined) return `RESOURCE:${venId}:${name}`;
  return undefined;
}

export async function insertOpenAdrObject(
  db: Db,
  record: OpenAdrObjectRecord,
  options: OpenAdrWriteOptions = {},
): Promise<Result<StoredOpenAdrObject>> {
  return writeInTransaction(db, record, options, async (tx) => {
    const taken = await tx
      .selectFrom('openadr_objects')
      .select('id')
      .where('id', '=', record.id)
      .executeTakeFirst();
    if (taken !== undefined)
      throw new WriteRefused(alreadyExists(`object id '${record.id}' is already in use`));
    await tx.insertInto('openadr_objects').values(rowOf(record)).execute();
    await insertTargets(tx, record);
  });
}

/** Replaces a stored object of the same type (404 TE_ERR_NOT_FOUND when there is none). */
export async function replaceOpenAdrObject(
  db: Db,
  record: OpenAdrObjectRecord,
  options: OpenAdrWriteOptions = {},
): Promise<Result<StoredOpenAdrObject>> {
  return writeInTransaction(db, record, options, async (tx) => {
    const updated = await tx
      .updateTable('openadr_objects')
      .set(rowOf(record))
      .where('id', '=', record.id)
      .where('object_type', '=', record.objectType)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1) throw new WriteRefused(notFound(record.objectType, record.id));
    await tx.deleteFrom('openadr_targets').where('object_id', '=', record.id).execute();
    await insertTargets(tx, record);
  });
}

/**
 * Deletes an object and, with it, the objects that belong to it (a program's events, a VEN's
 * resources). Returns what was deleted, the object first; empty when there was no such object.
 */
export async function deleteOpenAdrObject(
  db: Db,
  objectType: OpenAdrObjectType,
  id: string,
  options: OpenAdrWriteOptions = {},
): Promise<Result<StoredOpenAdrObject[]>> {
  try {
    const deleted = await db.transaction().execute(async (tx) => {
      const problem = await options.check?.(tx);
      if (problem !== undefined) throw new WriteRefused(problem);
      const object = await selectObjects(tx)
        .where('id', '=', id)
        .where('object_type', '=', objectType)
        .execute();
      if (object.length === 0) return [];
      const children = await selectObjects(tx).where('parent_id', '=', id).orderBy('seq').execute();
      await tx.deleteFrom('openadr_objects').where('id', '=', id).execute();
      if (options.audit !== undefined) await writeAuditRecord(tx, options.audit);
      return [...object, ...children].map(storedOf);
    });
    return ok(deleted);
  } catch (error) {
    if (error instanceof WriteRefused) return err(error.problem);
    throw error;
  }
}

export async function getOpenAdrObject(
  db: Db,
  objectType: OpenAdrObjectType,
  id: string,
): Promise<StoredOpenAdrObject | undefined> {
  const row = await selectObjects(db)
    .where('id', '=', id)
    .where('object_type', '=', objectType)
    .executeTakeFirst();
  return row === undefined ? undefined : storedOf(row);
}

export async function searchOpenAdrObjects(db: Db, search: OpenAdrSearch): Promise<StoredOpenAdrObject[]> {
  if (search.anyTarget !== undefined && search.anyTarget.length === 0) return [];
  if (search.limit <= 0) return [];
  const rows = await searched(search, selectObjects(db)).execute();
  return rows.map(storedOf);
}

/** What a search's answer is made of: the bodies as stored and whether each has targets. */
export interface OpenAdrBody {
  readonly bodyText: string;
  readonly targeted: boolean;
}

/**
 * `searchOpenAdrObjects` reading only the bodies: a VEN's poll needs nothing else, and turning every
 * column of 50 rows into JavaScript values cost more than finding them.
 */
export async function searchOpenAdrBodies(db: Db, search: OpenAdrSearch): Promise<OpenAdrBody[]> {
  if (search.anyTarget !== undefined && search.anyTarget.length === 0) return [];
  if (search.limit <= 0) return [];
  const rows = await pollRows(
    db,
    searched(search, db.selectFrom('openadr_objects').select(['body', 'targeted'])),
  );
  return rows.map((r) => ({ bodyText: r.body, targeted: r.targeted !== 0 }));
}

/** The search's filters, order and page on a query of openadr_objects. */
function searched<O>(search: OpenAdrSearch, select: SelectQueryBuilder<StoreSchema, 'openadr_objects', O>) {
  const anyTarget = search.anyTarget;
  // With a targets filter the few objects carrying those targets are the place to start. Compared as
  // is, object_type would let SQLite walk every object of the type in seq order (its index serves the
  // ORDER BY) and test each against the target list: a scan of all events for two matches.
  let query =
    anyTarget === undefined
      ? select.where('object_type', '=', search.objectType)
      : select.where(sql`${sql.ref('object_type')} || ''`, '=', search.objectType);
  const equal = [
    ['program_id', search.programId],
    ['event_id', search.eventId],
    ['ven_id', search.venId],
    ['client_id', search.clientId],
    ['client_name', search.clientName],
    ['name', search.name],
  ] as const;
  for (const [column, value] of equal) if (value !== undefined) query = query.where(column, '=', value);
  if (search.untargetedOnly === true) query = query.where('targeted', '=', 0);
  if (anyTarget !== undefined) {
    query = query.where('id', 'in', (eb) =>
      eb
        .selectFrom('openadr_targets')
        .select('object_id')
        .where('target', 'in', [...anyTarget]),
    );
  }
  const types = search.subscribedToAny;
  if (types !== undefined) {
    query = query.where((eb) => eb.or(types.map((type) => eb('subscribed_objects', 'like', `%,${type},%`))));
  }
  const at = search.activeAtMs;
  if (at !== undefined)
    query = query.where((eb) => eb.or([eb('ends_ms', 'is', null), eb('ends_ms', '>', at)]));
  return query.orderBy('seq').limit(search.limit).offset(search.skip);
}

/**
 * The targets granted to a client: those of the VEN objects it owns and of their resources. A VEN
 * client may read a targeted program or event only through these (Definition, Object Privacy).
 */
export async function grantedOpenAdrTargets(db: Db, clientId: string): Promise<string[]> {
  const rows = await pollRows(
    db,
    db
      .selectFrom('openadr_targets')
      .innerJoin('openadr_objects', 'openadr_objects.id', 'openadr_targets.object_id')
      .select('openadr_targets.target')
      .distinct()
      .where('openadr_objects.client_id', '=', clientId)
      .where('openadr_objects.object_type', 'in', ['VEN', 'RESOURCE'])
      .orderBy('openadr_targets.target'),
  );
  return rows.map((r) => r.target);
}

/** Every client's granted targets (see `grantedOpenAdrTargets`) in one read, by client id. */
export async function grantedOpenAdrTargetsByClient(db: Db): Promise<Map<string, string[]>> {
  const rows = await db
    .selectFrom('openadr_targets')
    .innerJoin('openadr_objects', 'openadr_objects.id', 'openadr_targets.object_id')
    .select(['openadr_objects.client_id', 'openadr_targets.target'])
    .distinct()
    .where('openadr_objects.client_id', 'is not', null)
    .where('openadr_objects.object_type', 'in', ['VEN', 'RESOURCE'])
    .orderBy('openadr_objects.client_id')
    .orderBy('openadr_targets.target')
    .execute();
  const byClient = new Map<string, string[]>();
  for (const row of rows) {
    const clientId = row.client_id as string;
    const targets = byClient.get(clientId) ?? [];
    targets.push(row.target);
    byClient.set(clientId, targets);
  }
  return byClient;
}

/** A VEN object with the API client it belongs to. */
export interface VenWithClient {
  readonly venId: string;
  readonly clientId: string;
  readonly role: string;
  readonly participantId: string | undefined;
}

/** The VEN objects whose client exists and is enabled, oldest first, with that client (one read). */
export async function venObjectsWithEnabledClients(db: Db): Promise<VenWithClient[]> {
  const rows = await db
    .selectFrom('openadr_objects')
    .innerJoin('api_clients', 'api_clients.client_id', 'openadr_objects.client_id')
    .select([
      'openadr_objects.id',
      'openadr_objects.client_id',
      'api_clients.role',
      'api_clients.participant_id',
    ])
    .where('openadr_objects.object_type', '=', 'VEN')
    .where('api_clients.disabled', '=', 0)
    .orderBy('openadr_objects.seq')
    .execute();
  return rows.map((r) => ({
    venId: r.id,
    clientId: r.client_id as string,
    role: r.role,
    participantId: r.participant_id ?? undefined,
  }));
}

/** Statements of the VEN poll's reads, prepared once per SQLite file (see `pollRows`). */
const pollStatements = new WeakMap<Database.Database, Map<string, Database.Statement>>();
const POLL_STATEMENTS = 64;

/**
 * Runs a read of the VEN poll path. On SQLite, outside a transaction, the compiled statement runs on
 * the file directly: Kysely's driver hands the connection over through a mutex and several promise
 * turns per statement, a quarter of a poll's query time. Inside a transaction (a Kysely transaction
 * may be open across awaits) a direct read would see its uncommitted rows, so it goes through Kysely,
 * as it does on PostgreSQL.
 */
async function pollRows<R>(db: Db, query: Compilable<R> & { execute(): Promise<R[]> }): Promise<R[]> {
  const file = sqliteFileOf(db);
  if (file === undefined || file.inTransaction) return query.execute();
  const compiled = query.compile();
  let statements = pollStatements.get(file);
  if (statements === undefined) {
    statements = new Map();
    pollStatements.set(file, statements);
  }
  let statement = statements.get(compiled.sql);
  if (statement === undefined) {
    statement = file.prepare(compiled.sql);
    // Statement texts differ only by how many targets a poll names: a handful in practice.
    if (statements.size < POLL_STATEMENTS) statements.set(compiled.sql, statement);
  }
  return statement.all(...compiled.parameters) as R[];
}

/** How many objects of a type are stored (all types when absent). */
export async function countOpenAdrObjects(db: Db, objectType?: OpenAdrObjectType): Promise<number> {
  let query = db.selectFrom('openadr_objects').select((eb) => eb.fn.countAll<number | string>().as('n'));
  if (objectType !== undefined) query = query.where('object_type', '=', objectType);
  const row = await query.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Thrown inside a write's transaction to roll it back with a coded refusal. */
class WriteRefused extends Error {
  constructor(readonly problem: TeError) {
    super(problem.message);
    this.name = 'WriteRefused';
  }
}

async function writeInTransaction(
  db: Db,
  record: OpenAdrObjectRecord,
  options: OpenAdrWriteOptions,
  write: (tx: Transaction<StoreSchema>) => Promise<void>,
): Promise<Result<StoredOpenAdrObject>> {
  try {
    const stored = await db.transaction().execute(async (tx) => {
      const problem = await options.check?.(tx);
      if (problem !== undefined) throw new WriteRefused(problem);
      await write(tx);
      if (options.audit !== undefined) await writeAuditRecord(tx, options.audit);
      const row = await selectObjects(tx).where('id', '=', record.id).executeTakeFirstOrThrow();
      return storedOf(row);
    });
    return ok(stored);
  } catch (error) {
    if (error instanceof WriteRefused) return err(error.problem);
    if (isUniqueViolation(error)) {
      return err(alreadyExists(`${record.objectType.toLowerCase()} name '${record.name}' is already in use`));
    }
    if (isForeignKeyViolation(error)) {
      return err(
        new TeError('TE_ERR_UNKNOWN_REFERENCE', `object '${record.parentId}' does not exist`, {
          hint: 'create it first, or refer to one that exists',
        }),
      );
    }
    throw error;
  }
}

async function insertTargets(tx: Db, record: OpenAdrObjectRecord): Promise<void> {
  const targets = [...new Set(record.targets)];
  if (targets.length === 0) return;
  await tx
    .insertInto('openadr_targets')
    .values(targets.map((target) => ({ object_id: record.id, target })))
    .execute();
}

function rowOf(record: OpenAdrObjectRecord): Omit<Selectable<OpenAdrObjectTable>, 'seq'> {
  return {
    id: record.id,
    object_type: record.objectType,
    parent_id: record.parentId ?? null,
    program_id: record.programId ?? null,
    event_id: record.eventId ?? null,
    ven_id: record.venId ?? null,
    client_id: record.clientId ?? null,
    client_name: record.clientName ?? null,
    name: record.name ?? null,
    name_key: record.nameKey ?? null,
    targeted: record.targets.length > 0 ? 1 : 0,
    subscribed_objects:
      record.subscribedObjects === undefined ? null : `,${[...new Set(record.subscribedObjects)].join(',')},`,
    ends_ms: record.endsMs ?? null,
    created_ms: record.createdMs,
    modified_ms: record.modifiedMs,
    body: toJsonText(record.body),
  };
}

function selectObjects(db: Db) {
  return db.selectFrom('openadr_objects').selectAll();
}

function storedOf(row: Selectable<OpenAdrObjectTable>): StoredOpenAdrObject {
  return {
    seq: Number(row.seq),
    id: row.id,
    objectType: row.object_type as OpenAdrObjectType,
    parentId: row.parent_id ?? undefined,
    programId: row.program_id ?? undefined,
    eventId: row.event_id ?? undefined,
    venId: row.ven_id ?? undefined,
    clientId: row.client_id ?? undefined,
    clientName: row.client_name ?? undefined,
    name: row.name ?? undefined,
    targeted: row.targeted !== 0,
    endsMs: row.ends_ms ?? undefined,
    createdMs: row.created_ms,
    modifiedMs: row.modified_ms,
    bodyText: row.body,
  };
}

function alreadyExists(message: string): TeError {
  return new TeError('TE_ERR_ALREADY_EXISTS', message, {
    hint: 'choose another name, or update the existing object (PUT)',
  });
}

function notFound(objectType: OpenAdrObjectType, id: string): TeError {
  return new TeError('TE_ERR_NOT_FOUND', `no ${objectType.toLowerCase()} '${id}'`, {
    hint: 'check the id; search the collection to see what exists',
  });
}

/** PostgreSQL's SQLSTATE 23503 or SQLite's foreign-key constraint code. */
function isForeignKeyViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null || !('code' in error)) return false;
  return error.code === '23503' || error.code === 'SQLITE_CONSTRAINT_FOREIGNKEY';
}
