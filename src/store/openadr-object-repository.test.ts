/**
 * The OpenADR object store on SQLite and on PostgreSQL (TEST_DATABASE_URL): writes with their checks and
 * audit records in one transaction, unique names, references to parents, cascades, searches and paging.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TeError } from '../core/errors.js';
import { listAuditRecords } from './audit-repository.js';
import {
  countOpenAdrObjects,
  deleteOpenAdrObject,
  getOpenAdrObject,
  grantedOpenAdrTargets,
  grantedOpenAdrTargetsByClient,
  insertOpenAdrObject,
  openAdrNameKey,
  replaceOpenAdrObject,
  searchOpenAdrBodies,
  searchOpenAdrObjects,
  type OpenAdrObjectRecord,
  type OpenAdrObjectType,
} from './openadr-object-repository.js';
import {
  POSTGRES_SKIP_MESSAGE,
  postgresTestStore,
  sqliteTestStore,
  TEST_DATABASE_URL,
  type TestStore,
} from './test-databases.fixture.js';

function record(
  objectType: OpenAdrObjectType,
  id: string,
  over: Partial<OpenAdrObjectRecord> = {},
): OpenAdrObjectRecord {
  const name = over.name ?? `${id}-name`;
  return {
    id,
    objectType,
    name,
    nameKey: openAdrNameKey(objectType, name, over.venId),
    targets: [],
    createdMs: 1000,
    modifiedMs: 1000,
    body: { id, objectType, name },
    ...over,
  };
}

/** An event row written by hand inside a transaction the test rolls back. */
const rowOfUncommitted = {
  id: 'e-uncommitted',
  object_type: 'EVENT',
  parent_id: null,
  program_id: null,
  event_id: null,
  ven_id: null,
  client_id: null,
  client_name: null,
  name: 'uncommitted',
  name_key: null,
  targeted: 0,
  subscribed_objects: null,
  ends_ms: null,
  created_ms: 1,
  modified_ms: 1,
  body: '{"id":"e-uncommitted"}',
};

const AUDIT = {
  timeMs: 5,
  actor: 'bl (market-operator)',
  action: 'openadr3-program-created',
  target: 'x',
  details: {},
};

function suite(open: () => Promise<TestStore>) {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store.dispose();
  });
  const db = () => store.store.db;

  it('stores an object with its audit record and finds it again', async () => {
    const written = await insertOpenAdrObject(
      db(),
      record('PROGRAM', 'p-1', { targets: ['g1', 'g2', 'g1'] }),
      {
        audit: { ...AUDIT, target: 'openadr3:program:p-1' },
      },
    );
    expect(written.ok).toBe(true);
    const found = await getOpenAdrObject(db(), 'PROGRAM', 'p-1');
    expect(found).toMatchObject({ id: 'p-1', objectType: 'PROGRAM', targeted: true, createdMs: 1000 });
    expect(JSON.parse(found!.bodyText)).toEqual({ id: 'p-1', objectType: 'PROGRAM', name: 'p-1-name' });
    expect(await getOpenAdrObject(db(), 'EVENT', 'p-1')).toBeUndefined();
    const audit = await listAuditRecords(db());
    expect(audit.some((a) => a.target === 'openadr3:program:p-1')).toBe(true);
  });

  it('refuses a taken id or name, a missing parent, or a failed check, and stores nothing then', async () => {
    const before = await countOpenAdrObjects(db());
    const auditBefore = (await listAuditRecords(db())).length;
    const sameId = await insertOpenAdrObject(db(), record('EVENT', 'p-1'), { audit: AUDIT });
    const sameName = await insertOpenAdrObject(db(), record('PROGRAM', 'p-2', { name: 'p-1-name' }), {
      audit: AUDIT,
    });
    const orphan = await insertOpenAdrObject(
      db(),
      record('EVENT', 'e-0', { parentId: 'nope', programId: 'nope' }),
    );
    const checked = await insertOpenAdrObject(db(), record('PROGRAM', 'p-3'), {
      check: async () => new TeError('TE_ERR_FORBIDDEN', 'no'),
      audit: AUDIT,
    });
    expect([sameId, sameName, orphan, checked].map((r) => (r.ok ? 'ok' : r.error.code))).toEqual([
      'TE_ERR_ALREADY_EXISTS',
      'TE_ERR_ALREADY_EXISTS',
      'TE_ERR_UNKNOWN_REFERENCE',
      'TE_ERR_FORBIDDEN',
    ]);
    expect(await countOpenAdrObjects(db())).toBe(before);
    expect((await listAuditRecords(db())).length).toBe(auditBefore);
  });

  it('replaces an object of the same type with its targets, keeping names unique', async () => {
    await insertOpenAdrObject(db(), record('PROGRAM', 'p-4'));
    const replaced = await replaceOpenAdrObject(
      db(),
      record('PROGRAM', 'p-4', { name: 'renamed', targets: ['g3'], modifiedMs: 2000 }),
    );
    expect(replaced.ok && replaced.value).toMatchObject({
      name: 'renamed',
      modifiedMs: 2000,
      targeted: true,
    });
    const clash = await replaceOpenAdrObject(db(), record('PROGRAM', 'p-4', { name: 'p-1-name' }));
    expect(!clash.ok && clash.error.code).toBe('TE_ERR_ALREADY_EXISTS');
    const missing = await replaceOpenAdrObject(db(), record('PROGRAM', 'ghost'));
    const wrongType = await replaceOpenAdrObject(db(), record('VEN', 'p-4'));
    expect([missing, wrongType].map((r) => !r.ok && r.error.code)).toEqual([
      'TE_ERR_NOT_FOUND',
      'TE_ERR_NOT_FOUND',
    ]);
    const byTarget = await searchOpenAdrObjects(db(), {
      objectType: 'PROGRAM',
      anyTarget: ['g3'],
      skip: 0,
      limit: 50,
    });
    expect(byTarget.map((o) => o.id)).toEqual(['p-4']);
  });

  it('deletes a program with its events and a VEN with its resources, and reports what went', async () => {
    await insertOpenAdrObject(db(), record('PROGRAM', 'p-5'));
    await insertOpenAdrObject(
      db(),
      record('EVENT', 'e-5a', { parentId: 'p-5', programId: 'p-5', targets: ['g1'] }),
    );
    await insertOpenAdrObject(db(), record('EVENT', 'e-5b', { parentId: 'p-5', programId: 'p-5' }));
    await insertOpenAdrObject(db(), record('REPORT', 'r-5', { programId: 'p-5', eventId: 'e-5a' }));
    const deleted = await deleteOpenAdrObject(db(), 'PROGRAM', 'p-5');
    expect(deleted.ok && deleted.value.map((o) => o.id)).toEqual(['p-5', 'e-5a', 'e-5b']);
    expect(await getOpenAdrObject(db(), 'EVENT', 'e-5a')).toBeUndefined();
    // Reports are the VEN's data: they stay, with their references as sent.
    expect(await getOpenAdrObject(db(), 'REPORT', 'r-5')).toMatchObject({ eventId: 'e-5a' });
    const none = await deleteOpenAdrObject(db(), 'PROGRAM', 'p-5');
    expect(none.ok && none.value).toEqual([]);
    const targetRows = await db()
      .selectFrom('openadr_targets')
      .selectAll()
      .where('object_id', '=', 'e-5a')
      .execute();
    expect(targetRows).toEqual([]);
  });

  it('grants a client the targets of its VENs and their resources', async () => {
    await insertOpenAdrObject(db(), record('VEN', 'v-1', { clientId: 'c1', targets: ['g1', 'zone-a'] }));
    await insertOpenAdrObject(
      db(),
      record('RESOURCE', 'res-1', { clientId: 'c1', venId: 'v-1', parentId: 'v-1', targets: ['feeder-7'] }),
    );
    await insertOpenAdrObject(db(), record('VEN', 'v-2', { clientId: 'c2', targets: ['g2'] }));
    await insertOpenAdrObject(
      db(),
      record('SUBSCRIPTION', 's-1', { clientId: 'c1', targets: ['not-granted'] }),
    );
    expect(await grantedOpenAdrTargets(db(), 'c1')).toEqual(['feeder-7', 'g1', 'zone-a']);
    expect(await grantedOpenAdrTargets(db(), 'nobody')).toEqual([]);
    const sameName = await insertOpenAdrObject(
      db(),
      record('RESOURCE', 'res-2', { clientId: 'c1', venId: 'v-1', parentId: 'v-1', name: 'res-1-name' }),
    );
    const otherVen = await insertOpenAdrObject(
      db(),
      record('RESOURCE', 'res-3', { clientId: 'c2', venId: 'v-2', parentId: 'v-2', name: 'res-1-name' }),
    );
    expect([sameName.ok || sameName.error.code, otherVen.ok]).toEqual(['TE_ERR_ALREADY_EXISTS', true]);
  });

  it('searches with additive filters, in insertion order, page by page', async () => {
    await insertOpenAdrObject(db(), record('PROGRAM', 'p-6'));
    for (let k = 0; k < 7; k++) {
      await insertOpenAdrObject(
        db(),
        record('EVENT', `e-6-${k}`, {
          parentId: 'p-6',
          programId: 'p-6',
          targets: k % 2 === 0 ? ['even'] : [],
          endsMs: k < 3 ? 10_000 : undefined,
        }),
      );
    }
    const page = (skip: number, limit: number) =>
      searchOpenAdrObjects(db(), { objectType: 'EVENT', programId: 'p-6', skip, limit });
    expect((await page(0, 3)).map((o) => o.id)).toEqual(['e-6-0', 'e-6-1', 'e-6-2']);
    expect((await page(3, 3)).map((o) => o.id)).toEqual(['e-6-3', 'e-6-4', 'e-6-5']);
    expect((await page(6, 3)).map((o) => o.id)).toEqual(['e-6-6']);
    expect(await page(0, 0)).toEqual([]);
    const search = { objectType: 'EVENT', programId: 'p-6', skip: 0, limit: 50 } as const;
    const ids = async (extra: object) =>
      (await searchOpenAdrObjects(db(), { ...search, ...extra })).map((o) => o.id);
    expect(await ids({ untargetedOnly: true })).toEqual(['e-6-1', 'e-6-3', 'e-6-5']);
    expect(await ids({ anyTarget: ['even', 'other'] })).toEqual(['e-6-0', 'e-6-2', 'e-6-4', 'e-6-6']);
    expect(await ids({ anyTarget: [] })).toEqual([]);
    expect(await ids({ activeAtMs: 10_000 })).toEqual(['e-6-3', 'e-6-4', 'e-6-5', 'e-6-6']);
    expect(await ids({ activeAtMs: 9_999, anyTarget: ['even'] })).toEqual([
      'e-6-0',
      'e-6-2',
      'e-6-4',
      'e-6-6',
    ]);
  });

  it("answers a poll's bodies as the full search finds them, and grants per client in one read", async () => {
    await insertOpenAdrObject(db(), record('PROGRAM', 'p-7'));
    await insertOpenAdrObject(db(), record('VEN', 'v-7', { clientId: 'c-7', targets: ['t-7'] }));
    for (let k = 0; k < 5; k++) {
      await insertOpenAdrObject(
        db(),
        record('EVENT', `e-7-${k}`, { parentId: 'p-7', programId: 'p-7', targets: k < 2 ? ['t-7'] : [] }),
      );
    }
    for (const extra of [
      {},
      { anyTarget: ['t-7', 'nothing'] },
      { untargetedOnly: true },
      { anyTarget: [] },
    ]) {
      const search = { objectType: 'EVENT', programId: 'p-7', skip: 1, limit: 3, ...extra } as const;
      const full = await searchOpenAdrObjects(db(), search);
      expect(await searchOpenAdrBodies(db(), search)).toEqual(
        full.map((o) => ({ bodyText: o.bodyText, targeted: o.targeted })),
      );
    }
    // A target search finds events, not the VEN object carrying the same target.
    const targeted = await searchOpenAdrBodies(db(), {
      objectType: 'EVENT',
      anyTarget: ['t-7'],
      skip: 0,
      limit: 50,
    });
    expect(targeted.map((b) => JSON.parse(b.bodyText).id)).toEqual(['e-7-0', 'e-7-1']);
    const byClient = await grantedOpenAdrTargetsByClient(db());
    expect(byClient.get('c-7')).toEqual(await grantedOpenAdrTargets(db(), 'c-7'));
  });

  it('never shows a poll what an open transaction has not committed', async () => {
    let inserted!: () => void;
    let finish!: () => void;
    const insertedOnce = new Promise<void>((resolve) => (inserted = resolve));
    const finished = new Promise<void>((resolve) => (finish = resolve));
    const rolledBack = db()
      .transaction()
      .execute(async (tx) => {
        await tx.insertInto('openadr_objects').values(rowOfUncommitted).execute();
        inserted();
        await finished;
        throw new Error('rolled back on purpose');
      });
    await insertedOnce;
    const search = { objectType: 'EVENT', name: 'uncommitted', skip: 0, limit: 50 } as const;
    const poll = searchOpenAdrBodies(db(), search);
    finish();
    await expect(rolledBack).rejects.toThrow('rolled back on purpose');
    expect(await poll).toEqual([]);
  });

  it('finds subscriptions by the object types they name, and objects by client and name', async () => {
    await insertOpenAdrObject(
      db(),
      record('SUBSCRIPTION', 's-7', {
        clientId: 'c7',
        clientName: 'home-7',
        subscribedObjects: ['EVENT', 'PROGRAM'],
      }),
    );
    await insertOpenAdrObject(
      db(),
      record('SUBSCRIPTION', 's-8', { clientId: 'c7', clientName: 'home-8', subscribedObjects: ['REPORT'] }),
    );
    const search = { objectType: 'SUBSCRIPTION', clientId: 'c7', skip: 0, limit: 50 } as const;
    const ids = async (extra: object) =>
      (await searchOpenAdrObjects(db(), { ...search, ...extra })).map((o) => o.id);
    expect(await ids({ subscribedToAny: ['PROGRAM'] })).toEqual(['s-7']);
    expect(await ids({ subscribedToAny: ['REPORT', 'EVENT'] })).toEqual(['s-7', 's-8']);
    expect(await ids({ subscribedToAny: ['VEN'] })).toEqual([]);
    expect(await ids({ clientName: 'home-8' })).toEqual(['s-8']);
    expect(await ids({ clientId: 'someone-else' })).toEqual([]);
    expect(await ids({ name: 's-7-name' })).toEqual(['s-7']);
  });

  it('keeps 2^53 - 1 ms and far-future ends', async () => {
    const far = Number.MAX_SAFE_INTEGER;
    await insertOpenAdrObject(db(), record('PROGRAM', 'p-9'));
    await insertOpenAdrObject(
      db(),
      record('EVENT', 'e-9', {
        parentId: 'p-9',
        programId: 'p-9',
        endsMs: far,
        createdMs: far,
        modifiedMs: far,
      }),
    );
    expect(await getOpenAdrObject(db(), 'EVENT', 'e-9')).toMatchObject({ endsMs: far, createdMs: far });
  });
}

describe('OpenADR object store (SQLite)', () => suite(sqliteTestStore));
if (TEST_DATABASE_URL === '') {
  describe.skip('OpenADR object store (PostgreSQL)', () => {
    it(POSTGRES_SKIP_MESSAGE, () => {});
  });
} else {
  describe('OpenADR object store (PostgreSQL)', () => suite(() => postgresTestStore()));
}
