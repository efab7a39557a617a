import { afterEach, describe, expect, it } from 'vitest';
import { verifyJournal } from '../ledger/verify-journal.js';
import { sqliteTestStore, type TestStore } from '../store/test-databases.fixture.js';
import { ManualClock } from './clock.js';
import { SingleProcessLease } from './leader-lease.js';
import {
  createCommunity,
  postReadings,
  recordingBus,
  sha256,
  SLOT_MS,
  storedJournal,
  submitOrders,
  T0,
} from './live-market.fixture.js';
import { MarketOperator } from './market-operator.js';
import { verifyStoredLedger } from './stored-ledger-verification.js';

let store: TestStore | undefined;
afterEach(async () => {
  await store?.dispose();
  store = undefined;
});

async function settledCommunity(): Promise<TestStore> {
  const opened = await sqliteTestStore();
  const db = opened.store.db;
  await createCommunity(db);
  const clock = new ManualClock(T0 + 1_000);
  const operator = new MarketOperator({
    db,
    clock,
    events: recordingBus().bus,
    lease: new SingleProcessLease(),
    sha256,
  });
  for (let t = clock.nowMs(); t <= T0 + 4 * SLOT_MS; t += 60_000) {
    clock.set(t);
    await operator.tick();
    const open = await db.selectFrom('slots').select('start_ms').where('status', '=', 'open').execute();
    for (const slot of open) await submitOrders(db, slot.start_ms, t);
    await postReadings(db, Math.floor(t / SLOT_MS) * SLOT_MS - SLOT_MS, { a: 150, b: 70, c: -120 });
  }
  return opened;
}

describe('verifyStoredLedger', () => {
  it('reports what verifyJournal reports over the whole journal, page by page', async () => {
    store = await settledCommunity();
    const db = store.store.db;
    const whole = verifyJournal(await storedJournal(db), sha256);
    expect(whole.ok).toBe(true);
    expect(whole.entryCount).toBeGreaterThan(20);
    for (const page of [1, 7, 10_000]) expect(await verifyStoredLedger(db, sha256, page)).toEqual(whole);
  });

  it('finds a tampered entry as verifyJournal does', async () => {
    store = await settledCommunity();
    const db = store.store.db;
    const row = await db
      .selectFrom('ledger_entries')
      .selectAll()
      .where('sequence', '=', 5)
      .executeTakeFirstOrThrow();
    const body = JSON.parse(row.body) as { postings: { amountMinor: number }[] };
    body.postings[0] = {
      ...body.postings[0],
      amountMinor: (body.postings[0]?.amountMinor ?? 0) + 1,
    } as never;
    await db
      .updateTable('ledger_entries')
      .set({ body: JSON.stringify(body) })
      .where('sequence', '=', 5)
      .execute();
    const whole = verifyJournal(await storedJournal(db), sha256);
    expect(whole.ok).toBe(false);
    expect(whole.chainBreak?.position).toBe(5);
    expect(await verifyStoredLedger(db, sha256, 4)).toEqual(whole);
  });
});
