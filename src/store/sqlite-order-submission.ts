/**
 * Order submission on SQLite as a handful of prepared statements run synchronously on the better-sqlite3
 * file, with concurrent submissions committed together: the API's hottest write, where Kysely's query
 * building and one commit per order were most of the CPU an order cost. The rules are the ones
 * `submitOrder` documents for both dialects; the store contract suite runs them through this path on
 * SQLite.
 *
 * Everything from BEGIN to COMMIT runs in one turn of the event loop, so no Kysely statement can land
 * inside this transaction. The reverse is checked: while a Kysely transaction is open on the file (it
 * spans awaits), the batch waits for Kysely's connection instead, which is free once that transaction ends.
 */
import type Database from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { err, ok, type Result } from '../core/result.js';
import { auditLogRow } from './audit-repository.js';
import {
  historyRow,
  isForeignKeyViolation,
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
import type { OrderTable, SlotStatus, StoreSchema } from './schema.js';
import { ConcurrentWrite } from './store-errors.js';

const KEY = 'market_id = ? AND slot_start_ms = ? AND participant_id = ? AND client_order_id = ?';

class SubmissionStatements {
  // IMMEDIATE takes the write lock up front: another process writing waits (busy_timeout) at BEGIN
  // instead of failing midway when a read transaction tries to become a write.
  readonly begin: Database.Statement;
  readonly commit: Database.Statement;
  readonly rollback: Database.Statement;
  /** The gate-closure guard: only an open slot hands out a sequence (see order-repository.ts). */
  readonly takeSequence: Database.Statement;
  readonly giveBackSequence: Database.Statement;
  readonly insertOrder: Database.Statement;
  readonly insertHistory: Database.Statement;
  readonly insertAudit: Database.Statement;
  readonly findOrder: Database.Statement;
  readonly findParticipant: Database.Statement;
  readonly findSlotStatus: Database.Statement;

  constructor(file: Database.Database) {
    this.begin = file.prepare('BEGIN IMMEDIATE');
    this.commit = file.prepare('COMMIT');
    this.rollback = file.prepare('ROLLBACK');
    this.takeSequence = file.prepare(
      `UPDATE slots SET next_order_sequence = next_order_sequence + 1
       WHERE market_id = ? AND start_ms = ? AND status = 'open' RETURNING next_order_sequence`,
    );
    this.giveBackSequence = file.prepare(
      'UPDATE slots SET next_order_sequence = next_order_sequence - 1 WHERE market_id = ? AND start_ms = ?',
    );
    this.insertOrder = file.prepare(
      `INSERT INTO orders (market_id, slot_start_ms, participant_id, client_order_id, side, steps, green,
         sequence, status, revision, updated_ms)
       VALUES (@market_id, @slot_start_ms, @participant_id, @client_order_id, @side, @steps, @green,
         @sequence, @status, @revision, @updated_ms)
       ON CONFLICT (market_id, slot_start_ms, participant_id, client_order_id) DO NOTHING`,
    );
    this.insertHistory = file.prepare(
      `INSERT INTO order_history (market_id, slot_start_ms, participant_id, client_order_id, revision,
         action, side, steps, green, sequence, at_ms)
       VALUES (@market_id, @slot_start_ms, @participant_id, @client_order_id, @revision, @action, @side,
         @steps, @green, @sequence, @at_ms)`,
    );
    this.insertAudit = file.prepare(
      `INSERT INTO audit_log (time_ms, actor, action, target, details)
       VALUES (@time_ms, @actor, @action, @target, @details)`,
    );
    this.findOrder = file.prepare(`SELECT * FROM orders WHERE ${KEY}`);
    this.findParticipant = file.prepare('SELECT 1 AS found FROM participants WHERE id = ?');
    this.findSlotStatus = file.prepare('SELECT status FROM slots WHERE market_id = ? AND start_ms = ?');
  }
}

interface PendingSubmission {
  readonly input: OrderInput;
  readonly atMs: number;
  readonly options: OrderWriteOptions;
  readonly resolve: (result: Result<OrderWrite>) => void;
  readonly reject: (error: unknown) => void;
}

/** More than this many waiting submissions go in the next transaction. */
const MAX_BATCH = 256;

/**
 * Group commit: the submissions that arrive in one turn of the event loop are written in one
 * transaction, each as if alone (its own sequence, refusals judged against what the batch wrote before
 * it), and each is answered only after the COMMIT: acknowledged still means committed. One commit then
 * writes each touched page once for the whole batch instead of once per order.
 */
class SubmissionBatcher {
  #waiting: PendingSubmission[] = [];
  #scheduled = false;

  constructor(
    private readonly file: Database.Database,
    private readonly db: Kysely<StoreSchema>,
    private readonly statements: SubmissionStatements,
  ) {}

  submit(input: OrderInput, atMs: number, options: OrderWriteOptions): Promise<Result<OrderWrite>> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ input, atMs, options, resolve, reject });
      if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#waiting.splice(0, MAX_BATCH);
    if (this.#waiting.length > 0) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
    if (batch.length === 0) return;
    if (!this.file.inTransaction) {
      this.#write(batch);
      return;
    }
    // A Kysely transaction is open across awaits: wait for Kysely's connection, which it holds until done.
    this.db
      .connection()
      .execute(async () => this.#write(batch))
      .catch((error: unknown) => batch.forEach((pending) => pending.reject(error)));
  }

  /** Writes the batch in one transaction, synchronously from BEGIN to COMMIT. */
  #write(batch: readonly PendingSubmission[]): void {
    const s = this.statements;
    const results: Result<OrderWrite>[] = [];
    try {
      s.begin.run();
      for (const pending of batch) {
        try {
          results.push(submitInTransaction(s, pending.input, pending.atMs, pending.options));
        } catch (error) {
          // This submission failed outright (not a refusal): undo the batch, fail it, redo the others.
          // (Some errors, such as a full disk, end the transaction by themselves.)
          if (this.file.inTransaction) s.rollback.run();
          pending.reject(error);
          const others = batch.filter((other) => other !== pending);
          if (others.length > 0) this.#requeue(others);
          return;
        }
      }
      s.commit.run();
    } catch (error) {
      if (this.file.inTransaction) s.rollback.run();
      batch.forEach((pending) => pending.reject(error));
      return;
    }
    batch.forEach((pending, k) => pending.resolve(results[k] as Result<OrderWrite>));
  }

  #requeue(batch: readonly PendingSubmission[]): void {
    this.#waiting.unshift(...batch);
    if (!this.#scheduled) {
      this.#scheduled = true;
      setImmediate(() => this.#flush());
    }
  }
}

const batchers = new WeakMap<Database.Database, SubmissionBatcher>();

/**
 * Submits an order through `file`'s group commit. Rejects with what the database threw (SQLITE_BUSY is
 * transient: the caller retries).
 */
export function submitOrderOnSqlite(
  file: Database.Database,
  db: Kysely<StoreSchema>,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions,
): Promise<Result<OrderWrite>> {
  let batcher = batchers.get(file);
  if (batcher === undefined) {
    batcher = new SubmissionBatcher(file, db, new SubmissionStatements(file));
    batchers.set(file, batcher);
  }
  return batcher.submit(input, atMs, options);
}

/**
 * One submission inside the batch's transaction. A refusal writes nothing: the sequence it took is given
 * back (nothing else ran since, so the counter steps back exactly) and the insert that failed was undone
 * by SQLite on its own, leaving the rest of the batch as it was.
 */
function submitInTransaction(
  s: SubmissionStatements,
  input: OrderInput,
  atMs: number,
  options: OrderWriteOptions,
): Result<OrderWrite> {
  const taken = s.takeSequence.get(input.marketId, input.slotStartMs) as
    { next_order_sequence: number } | undefined;
  if (taken === undefined) return refusal(s, input);
  const row = newOrderRow(input, taken.next_order_sequence - 1, atMs);
  let inserted: Database.RunResult;
  try {
    inserted = s.insertOrder.run(row);
  } catch (error) {
    // The slot exists (its sequence was just taken), so the foreign key that failed is the participant's.
    if (!isForeignKeyViolation(error)) throw error;
    s.giveBackSequence.run(input.marketId, input.slotStartMs);
    return err(unknownParticipant(input.participantId));
  }
  if (inserted.changes === 0) {
    s.giveBackSequence.run(input.marketId, input.slotStartMs);
    const existing = s.findOrder.get(...orderKey(input)) as OrderTable | undefined;
    if (existing === undefined) throw new ConcurrentWrite();
    return sameAsExisting(existing, input);
  }
  s.insertHistory.run(historyRow(row, 'submit', atMs));
  const written: OrderWrite = { order: toStoredOrder(row), outcome: 'accepted' };
  if (options.audit !== undefined) s.insertAudit.run(auditLogRow(options.audit(written)));
  return ok(written);
}

/**
 * Why a slot handed out no sequence, in the order the Kysely path checks: a retry of an order stored
 * before the slot closed is still acknowledged; then an unknown participant; then the slot itself.
 */
function refusal(s: SubmissionStatements, input: OrderInput): Result<OrderWrite> {
  const existing = s.findOrder.get(...orderKey(input)) as OrderTable | undefined;
  if (existing !== undefined) return sameAsExisting(existing, input);
  if (s.findParticipant.get(input.participantId) === undefined) {
    return err(unknownParticipant(input.participantId));
  }
  const slot = s.findSlotStatus.get(input.marketId, input.slotStartMs) as { status: SlotStatus } | undefined;
  return err(
    slot === undefined
      ? unknownSlot(input.marketId, input.slotStartMs)
      : slotNotOpen(input.marketId, input.slotStartMs, slot.status),
  );
}

function orderKey(input: OrderInput): [string, number, string, string] {
  return [input.marketId, input.slotStartMs, input.participantId, input.clientOrderId];
}
