/**
 * Orders as stored rows, written idempotently by client order id (unique per participant and slot).
 * The same submission twice returns the existing row; a different order under a used id is
 * `TE_ERR_DUPLICATE_ORDER`. Every submit, replace and cancel also lands as an `order_history` row in the
 * same transaction. Sequence numbers come from the slot row, so they increase in submission order
 * (gaps are possible after a lost race; the order matters, not the numbers). Writes reach only a slot
 * whose status is `open`, checked on the slot row inside the write (TE_ERR_ORDER_LATE otherwise).
 */
import type { Kysely, Transaction } from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { PriceQuantity } from '../market/types.js';
import { fromJsonText } from './json-column.js';
import { writeAuditRecord } from './audit-repository.js';
import { isPostgresStore, sqliteFileOf } from './database.js';
import {
  checkSteps,
  historyRow,
  isForeignKeyViolation,
  newOrderRow,
  sameAsExisting,
  shrinksOnly,
  slotNotOpen,
  stepsText,
  toStoredOrder,
  unknownOrder,
  unknownParticipant,
  type OrderHistoryEntry,
  type OrderInput,
  type OrderKey,
  type OrderWrite,
  type OrderWriteOptions,
  type StoredOrder,
} from './order-rows.js';
import { unknownSlot } from './registry-repository.js';
import type { OrderAction, OrderTable, StoreSchema } from './schema.js';
import { submitOrderOnPostgres } from './postgres-order-submission.js';
import { submitOrderOnSqlite } from './sqlite-order-submission.js';
import { ConcurrentWrite, retryOnConflict } from './store-errors.js';

export type {
  OrderHistoryEntry,
  OrderInput,
  OrderKey,
  OrderWrite,
  OrderWriteOptions,
  OrderWriteOutcome,
  StoredOrder,
} from './order-rows.js';

type Db = Kysely<StoreSchema>;

/**
 * Submits an order. The slot hands out its sequence first (the gate-closure guard), then the row goes in
 * under its id: a taken id undoes the sequence and the submission is judged against the stored order, and
 * an unknown participant is the foreign key refusing the row, so a new order costs three writes and no
 * reads. Concurrent submissions are committed together: on SQLite as prepared statements
 * (sqlite-order-submission.ts), on PostgreSQL in multi-row statements (postgres-order-submission.ts);
 * the one-order path below serves a transaction passed as `db` and the submissions of a failed batch.
 */
export async function submitOrder(
  db: Db,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions = {},
): Promise<Result<OrderWrite>> {
  const problem = checkSteps(input.steps);
  if (problem !== undefined) return err(problem);
  const file = sqliteFileOf(db);
  const batched = isPostgresStore(db);
  return retryOnConflict(() => {
    if (file !== undefined) return submitOrderOnSqlite(file, db, input, atMs, options);
    if (batched) return submitOrderOnPostgres(db, input, atMs, options, submitThroughKysely);
    return submitThroughKysely(db, input, atMs, options);
  });
}

/** Thrown inside a submission's transaction to roll it back; the reason is judged after. */
class SubmissionUndone extends Error {
  constructor(readonly reason: 'slot-not-open' | 'unknown-participant' | 'id-taken') {
    super(`submission undone: ${reason}`);
  }
}

async function submitThroughKysely(
  db: Db,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions,
): Promise<Result<OrderWrite>> {
  try {
    return await db.transaction().execute(async (trx): Promise<Result<OrderWrite>> => {
      const sequence = await takeSequence(trx, input.marketId, input.slotStartMs);
      if (sequence === undefined) throw new SubmissionUndone('slot-not-open');
      const row = newOrderRow(input, sequence, atMs);
      const inserted = await trx
        .insertInto('orders')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['market_id', 'slot_start_ms', 'participant_id', 'client_order_id']).doNothing(),
        )
        .executeTakeFirst()
        .catch((error: unknown) => {
          // The slot exists (it just gave a sequence): the foreign key that failed is the participant's.
          throw isForeignKeyViolation(error) ? new SubmissionUndone('unknown-participant') : error;
        });
      if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) throw new SubmissionUndone('id-taken');
      await recordHistory(trx, row, 'submit', atMs);
      const written: OrderWrite = { order: toStoredOrder(row), outcome: 'accepted' };
      await auditInside(trx, options, written);
      return ok(written);
    });
  } catch (error) {
    if (!(error instanceof SubmissionUndone)) throw error;
    if (error.reason === 'unknown-participant') return err(unknownParticipant(input.participantId));
    // A retry of an order stored before the slot closed is still acknowledged.
    const existing = await findOrderRow(db, input);
    if (existing !== undefined) return sameAsExisting(existing, input);
    if (error.reason === 'id-taken') throw new ConcurrentWrite();
    const participant = await db
      .selectFrom('participants')
      .select('id')
      .where('id', '=', input.participantId)
      .executeTakeFirst();
    if (participant === undefined) return err(unknownParticipant(input.participantId));
    return err(await slotRefusal(db, input.marketId, input.slotStartMs));
  }
}

/**
 * Replaces a live order's steps. Shrinking quantities at the same prices keeps its place in the
 * sequence (nobody is overtaken by a larger claim); anything else moves it to the back.
 */
export function replaceOrder(
  db: Db,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions = {},
): Promise<Result<OrderWrite>> {
  const problem = checkSteps(input.steps);
  if (problem !== undefined) return Promise.resolve(err(problem));
  return retryOnConflict(() =>
    db.transaction().execute(async (trx): Promise<Result<OrderWrite>> => {
      const existing = await findOrderRow(trx, input);
      if (existing === undefined || existing.status !== 'live') return err(unknownOrder(input.clientOrderId));
      if (existing.side !== input.side) {
        return err(
          new TeError('TE_ERR_VALIDATION', 'a replace may change prices and quantities, not the side', {
            path: 'side',
            hint: 'cancel the order and submit a new one',
          }),
        );
      }
      const steps = stepsText(input.steps);
      const green = input.green === true ? 1 : 0;
      if (steps === existing.steps && green === existing.green) {
        return ok({ order: toStoredOrder(existing), outcome: 'unchanged' });
      }
      const keepsPlace = shrinksOnly(fromJsonText<PriceQuantity[]>(existing.steps), input.steps);
      let sequence = existing.sequence;
      if (keepsPlace) {
        if (!(await lockOpenSlot(trx, input.marketId, input.slotStartMs))) {
          return err(await slotRefusal(trx, input.marketId, input.slotStartMs));
        }
      } else {
        const next = await takeSequence(trx, input.marketId, input.slotStartMs);
        if (next === undefined) return err(await slotRefusal(trx, input.marketId, input.slotStartMs));
        sequence = next;
      }
      const row: OrderTable = {
        ...existing,
        steps,
        green,
        sequence,
        revision: existing.revision + 1,
        updated_ms: atMs,
      };
      await updateIfUnchanged(trx, existing, row);
      await recordHistory(trx, row, 'replace', atMs);
      const written: OrderWrite = { order: toStoredOrder(row), outcome: 'replaced' };
      await auditInside(trx, options, written);
      return ok(written);
    }),
  );
}

export function cancelOrder(
  db: Db,
  key: OrderKey,
  atMs: number,
  options: OrderWriteOptions = {},
): Promise<Result<OrderWrite>> {
  return retryOnConflict(() =>
    db.transaction().execute(async (trx): Promise<Result<OrderWrite>> => {
      const existing = await findOrderRow(trx, key);
      if (existing === undefined) return err(unknownOrder(key.clientOrderId));
      if (existing.status === 'cancelled') {
        return ok({ order: toStoredOrder(existing), outcome: 'already-cancelled' });
      }
      if (!(await lockOpenSlot(trx, key.marketId, key.slotStartMs))) {
        return err(await slotRefusal(trx, key.marketId, key.slotStartMs));
      }
      const row: OrderTable = {
        ...existing,
        status: 'cancelled',
        revision: existing.revision + 1,
        updated_ms: atMs,
      };
      await updateIfUnchanged(trx, existing, row);
      await recordHistory(trx, row, 'cancel', atMs);
      const written: OrderWrite = { order: toStoredOrder(row), outcome: 'cancelled' };
      await auditInside(trx, options, written);
      return ok(written);
    }),
  );
}

export async function getOrder(db: Db, key: OrderKey): Promise<StoredOrder | undefined> {
  const row = await findOrderRow(db, key);
  return row === undefined ? undefined : toStoredOrder(row);
}

/** The slot's live orders in sequence (time-priority) order. */
export async function listSlotOrders(db: Db, marketId: string, slotStartMs: number): Promise<StoredOrder[]> {
  const rows = await db
    .selectFrom('orders')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', slotStartMs)
    .where('status', '=', 'live')
    .orderBy('sequence')
    .execute();
  return rows.map(toStoredOrder);
}

/** Every submit, replace and cancel of one order, oldest first. */
export async function listOrderHistory(db: Db, key: OrderKey): Promise<OrderHistoryEntry[]> {
  const rows = await db
    .selectFrom('order_history')
    .selectAll()
    .where('market_id', '=', key.marketId)
    .where('slot_start_ms', '=', key.slotStartMs)
    .where('participant_id', '=', key.participantId)
    .where('client_order_id', '=', key.clientOrderId)
    .orderBy('revision')
    .execute();
  return rows.map((r) => ({
    revision: r.revision,
    action: r.action,
    side: r.side,
    steps: fromJsonText<PriceQuantity[]>(r.steps),
    green: r.green === 1,
    sequence: r.sequence,
    atMs: r.at_ms,
  }));
}

function findOrderRow(db: Db | Transaction<StoreSchema>, key: OrderKey): Promise<OrderTable | undefined> {
  return db
    .selectFrom('orders')
    .selectAll()
    .where('market_id', '=', key.marketId)
    .where('slot_start_ms', '=', key.slotStartMs)
    .where('participant_id', '=', key.participantId)
    .where('client_order_id', '=', key.clientOrderId)
    .executeTakeFirst();
}

/**
 * Bumps the counter of an open slot; undefined when the slot is unknown or no longer open. On
 * PostgreSQL the row lock this takes serialises submissions per slot, and it is what makes gate closure
 * exact: the operator closes a slot (open -> closed) and then reads its orders. A write that locked the
 * row first commits before the close, so the read sees it; a write after the close finds the slot not
 * open and is refused, so no acknowledged order is left out of the clearing.
 */
async function takeSequence(trx: Transaction<StoreSchema>, marketId: string, slotStartMs: number) {
  const slot = await trx
    .updateTable('slots')
    .set((eb) => ({ next_order_sequence: eb('next_order_sequence', '+', 1) }))
    .where('market_id', '=', marketId)
    .where('start_ms', '=', slotStartMs)
    .where('status', '=', 'open')
    .returning('next_order_sequence')
    .executeTakeFirst();
  return slot === undefined ? undefined : slot.next_order_sequence - 1;
}

/** The same row lock and open check as `takeSequence`, for writes that keep their sequence. */
async function lockOpenSlot(trx: Transaction<StoreSchema>, marketId: string, slotStartMs: number) {
  const locked = await trx
    .updateTable('slots')
    .set((eb) => ({ next_order_sequence: eb.ref('next_order_sequence') }))
    .where('market_id', '=', marketId)
    .where('start_ms', '=', slotStartMs)
    .where('status', '=', 'open')
    .executeTakeFirst();
  return Number(locked.numUpdatedRows) === 1;
}

/** Why a slot refused a write: it does not exist, or it is closed (or cleared) for orders. */
async function slotRefusal(db: Db, marketId: string, slotStartMs: number) {
  const slot = await db
    .selectFrom('slots')
    .select('status')
    .where('market_id', '=', marketId)
    .where('start_ms', '=', slotStartMs)
    .executeTakeFirst();
  if (slot === undefined) return unknownSlot(marketId, slotStartMs);
  return slotNotOpen(marketId, slotStartMs, slot.status);
}

async function auditInside(trx: Transaction<StoreSchema>, options: OrderWriteOptions, written: OrderWrite) {
  if (options.audit !== undefined) await writeAuditRecord(trx, options.audit(written));
}

/** Optimistic concurrency: the update applies only to the revision we read, or the whole write reruns. */
async function updateIfUnchanged(trx: Transaction<StoreSchema>, before: OrderTable, after: OrderTable) {
  const updated = await trx
    .updateTable('orders')
    .set({
      steps: after.steps,
      green: after.green,
      sequence: after.sequence,
      status: after.status,
      revision: after.revision,
      updated_ms: after.updated_ms,
    })
    .where('market_id', '=', before.market_id)
    .where('slot_start_ms', '=', before.slot_start_ms)
    .where('participant_id', '=', before.participant_id)
    .where('client_order_id', '=', before.client_order_id)
    .where('revision', '=', before.revision)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) !== 1) throw new ConcurrentWrite();
}

async function recordHistory(
  trx: Transaction<StoreSchema>,
  row: OrderTable,
  action: OrderAction,
  atMs: number,
) {
  await trx
    .insertInto('order_history')
    .values(historyRow(row, action, atMs))
    .execute();
}
