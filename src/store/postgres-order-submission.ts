/**
 * Order submission on PostgreSQL with group commit. A submission holds its slot's row lock from taking a
 * sequence to COMMIT, and the COMMIT waits for the WAL flush, so one order at a time per slot was bound
 * by the flush (about 300 a second here). Submissions that arrive while a batch is being written wait
 * for the next batch; a batch takes each slot's sequences with one UPDATE and writes the orders, their
 * history and audit records with one multi-row INSERT each, then commits once. Each submission is
 * judged as if alone (`submitOrder` documents the rules) and answered only after the COMMIT.
 *
 * Whatever goes wrong in a batch (a lost race, a failed audit hook, a database error) rolls it back and
 * each of its submissions then runs alone on the one-order path, so one bad submission fails only itself.
 */
import type { Insertable, Kysely, Transaction } from 'kysely';
import { err, ok, type Result } from '../core/result.js';
import { auditLogRow } from './audit-repository.js';
import {
  historyRow,
  newOrderRow,
  sameAsExisting,
  slotNotOpen,
  toStoredOrder,
  unknownParticipant,
  type OrderInput,
  type OrderWrite,
  type OrderWriteOptions,
} from './order-rows.js';
import { unknownSlot } from './registry-repository.js';
import type { AuditLogTable, OrderTable, StoreSchema } from './schema.js';
import { ConcurrentWrite } from './store-errors.js';

type Db = Kysely<StoreSchema>;

interface PendingSubmission {
  readonly input: OrderInput;
  readonly atMs: number;
  readonly options: OrderWriteOptions;
  readonly resolve: (result: Result<OrderWrite>) => void;
  readonly reject: (error: unknown) => void;
}

/** The one-order path (order-repository.ts), for submissions of a batch that failed. */
export type SubmitAlone = (
  db: Db,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions,
) => Promise<Result<OrderWrite>>;

const MAX_BATCH = 256;

class PostgresSubmissionBatcher {
  #waiting: PendingSubmission[] = [];
  #draining = false;

  constructor(
    private readonly db: Db,
    private readonly submitAlone: SubmitAlone,
  ) {}

  submit(input: OrderInput, atMs: number, options: OrderWriteOptions): Promise<Result<OrderWrite>> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, atMs, options, resolve, reject });
      if (!this.#draining) {
        this.#draining = true;
        // Let the submissions of this turn of the event loop join the first batch.
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      await this.#write(this.#waiting.splice(0, MAX_BATCH));
    }
    this.#draining = false;
  }

  async #write(batch: readonly PendingSubmission[]): Promise<void> {
    let results: Result<OrderWrite>[];
    try {
      results = await this.db.transaction().execute((trx) => writeBatch(trx, batch));
    } catch {
      await Promise.all(
        batch.map((p) => this.submitAlone(this.db, p.input, p.atMs, p.options).then(p.resolve, p.reject)),
      );
      return;
    }
    batch.forEach((pending, k) => pending.resolve(results[k] as Result<OrderWrite>));
  }
}

const batchers = new WeakMap<Db, PostgresSubmissionBatcher>();

export function submitOrderOnPostgres(
  db: Db,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions,
  submitAlone: SubmitAlone,
): Promise<Result<OrderWrite>> {
  let batcher = batchers.get(db);
  if (batcher === undefined) {
    batcher = new PostgresSubmissionBatcher(db, submitAlone);
    batchers.set(db, batcher);
  }
  return batcher.submit(input, atMs, options);
}

async function writeBatch(
  trx: Transaction<StoreSchema>,
  batch: readonly PendingSubmission[],
): Promise<Result<OrderWrite>[]> {
  const results: Result<OrderWrite>[] = new Array<Result<OrderWrite>>(batch.length);
  const participantIds = [...new Set(batch.map((p) => p.input.participantId))];
  const known = new Set(
    (await trx.selectFrom('participants').select('id').where('id', 'in', participantIds).execute()).map(
      (r) => r.id,
    ),
  );
  // Slots in one order in every batch, so two instances' batches lock them in the same order.
  const bySlot = new Map<string, number[]>();
  batch.forEach((p, k) => {
    const slotKey = `${p.input.marketId}\u0000${p.input.slotStartMs}`;
    bySlot.set(slotKey, [...(bySlot.get(slotKey) ?? []), k]);
  });
  for (const slotKey of [...bySlot.keys()].sort()) {
    await writeSlotGroup(trx, batch, bySlot.get(slotKey) ?? [], known, results);
  }
  return results;
}

/** The batch's submissions to one slot (`indexes` into the batch, in arrival order). */
async function writeSlotGroup(
  trx: Transaction<StoreSchema>,
  batch: readonly PendingSubmission[],
  indexes: readonly number[],
  knownParticipants: ReadonlySet<string>,
  results: Result<OrderWrite>[],
): Promise<void> {
  const first = (batch[indexes[0] ?? 0] as PendingSubmission).input;
  const { marketId, slotStartMs } = first;
  const keyOf = (input: OrderInput) => `${input.participantId}\u0000${input.clientOrderId}`;
  const stored = new Map<string, OrderTable>();
  const inputs = indexes.map((k) => (batch[k] as PendingSubmission).input);
  // Both key columns listed, so the lookup walks the primary key instead of the whole slot's orders.
  const rows = await trx
    .selectFrom('orders')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', slotStartMs)
    .where('participant_id', 'in', [...new Set(inputs.map((i) => i.participantId))])
    .where('client_order_id', 'in', [...new Set(inputs.map((i) => i.clientOrderId))])
    .execute();
  for (const row of rows) stored.set(`${row.participant_id}\u0000${row.client_order_id}`, row);

  const fresh: number[] = [];
  const repeats: number[] = [];
  const freshKeys = new Set<string>();
  for (const k of indexes) {
    const { input } = batch[k] as PendingSubmission;
    const existing = stored.get(keyOf(input));
    if (existing !== undefined) results[k] = sameAsExisting(existing, input);
    else if (freshKeys.has(keyOf(input))) repeats.push(k);
    else if (!knownParticipants.has(input.participantId))
      results[k] = err(unknownParticipant(input.participantId));
    else {
      fresh.push(k);
      freshKeys.add(keyOf(input));
    }
  }
  if (fresh.length === 0) return;

  // The gate-closure guard for the whole group: one row lock, `fresh.length` sequences.
  const taken = await trx
    .updateTable('slots')
    .set((eb) => ({ next_order_sequence: eb('next_order_sequence', '+', fresh.length) }))
    .where('market_id', '=', marketId)
    .where('start_ms', '=', slotStartMs)
    .where('status', '=', 'open')
    .returning('next_order_sequence')
    .executeTakeFirst();
  if (taken === undefined) {
    const refusal = await slotRefusal(trx, marketId, slotStartMs);
    for (const k of [...fresh, ...repeats]) results[k] = err(refusal);
    return;
  }
  const firstSequence = taken.next_order_sequence - fresh.length;
  const newRows = fresh.map((k, j) => {
    const { input, atMs } = batch[k] as PendingSubmission;
    return newOrderRow(input, firstSequence + j, atMs);
  });
  const historyRows = newRows.map((row, j) =>
    historyRow(row, 'submit', (batch[fresh[j] ?? 0] as PendingSubmission).atMs),
  );
  const audits: Insertable<AuditLogTable>[] = [];
  const byKey = new Map<string, OrderTable>();
  for (const [j, k] of fresh.entries()) {
    const row = newRows[j] as OrderTable;
    const { input, options } = batch[k] as PendingSubmission;
    const written: OrderWrite = { order: toStoredOrder(row), outcome: 'accepted' };
    results[k] = ok(written);
    byKey.set(keyOf(input), row);
    if (options.audit !== undefined) audits.push(auditLogRow(options.audit(written)));
  }
  // Orders, history and audit records in one statement: the slot's row lock (taken above) is held for
  // this one round trip and the COMMIT. The history rows' foreign key is checked at the statement's end,
  // when the orders are in.
  const writes = trx
    .with('stored_orders', (db) =>
      db
        .insertInto('orders')
        .values(newRows)
        .onConflict((oc) =>
          oc.columns(['market_id', 'slot_start_ms', 'participant_id', 'client_order_id']).doNothing(),
        )
        .returning('client_order_id'),
    )
    .with('stored_history', (db) => db.insertInto('order_history').values(historyRows).returning('revision'));
  const counted =
    audits.length === 0
      ? writes.selectFrom('stored_orders').select((eb) => eb.fn.countAll<number>().as('count'))
      : writes
          .with('stored_audit', (db) => db.insertInto('audit_log').values(audits).returning('id'))
          .selectFrom('stored_orders')
          .select((eb) => eb.fn.countAll<number>().as('count'));
  const { count } = await counted.executeTakeFirstOrThrow();
  // Another writer stored one of these ids since we looked: roll back, and each goes alone.
  if (Number(count) !== newRows.length) throw new ConcurrentWrite();
  for (const k of repeats) {
    const { input } = batch[k] as PendingSubmission;
    results[k] = sameAsExisting(byKey.get(keyOf(input)) as OrderTable, input);
  }
}

async function slotRefusal(trx: Transaction<StoreSchema>, marketId: string, slotStartMs: number) {
  const slot = await trx
    .selectFrom('slots')
    .select('status')
    .where('market_id', '=', marketId)
    .where('start_ms', '=', slotStartMs)
    .executeTakeFirst();
  return slot === undefined
    ? unknownSlot(marketId, slotStartMs)
    : slotNotOpen(marketId, slotStartMs, slot.status);
}
