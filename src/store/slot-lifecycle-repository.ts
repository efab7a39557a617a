/**
 * The market operator's queries over a slot's life: opening slots ahead, finding those due for clearing
 * and for settlement, the meter readings a settlement needs, and the settlement transaction that appends
 * the slot's ledger entries and marks it settled together, once. Every write here is safe to run again
 * after a crash or by a second operator: the database decides who was first.
 */
import type { Kysely, Transaction } from 'kysely';
import { TeError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import type { ChainTail } from '../ledger/entry-sealing.js';
import { GENESIS_HASH, type LedgerEntry } from '../ledger/journal-entry.js';
import { toJsonText } from './json-column.js';
import type { LedgerEntryTable, SlotStatus, StoreSchema } from './schema.js';
import { isUniqueViolation } from './store-errors.js';

type Db = Kysely<StoreSchema> | Transaction<StoreSchema>;

export interface LifecycleSlot {
  readonly marketId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly gateClosureMs: number;
  readonly status: SlotStatus;
  readonly clearedAtMs: number | null;
  readonly settledAtMs: number | null;
}

export interface SlotKey {
  readonly marketId: string;
  readonly startMs: number;
}

/** Six parameters a ledger row: 1,000 rows stay well under either database's bound-parameter limit. */
const LEDGER_ROWS_PER_STATEMENT = 1_000;
/** Meter ids per `IN (...)` list. */
const METERS_PER_STATEMENT = 1_000;

/**
 * Opens the slots that do not exist yet (status `open`) and returns the starts it opened; existing slots
 * are left as they are, whatever their status.
 */
export async function openMissingSlots(
  db: Db,
  marketId: string,
  slots: readonly { readonly startMs: number; readonly endMs: number; readonly gateClosureMs: number }[],
): Promise<number[]> {
  if (slots.length === 0) return [];
  const starts = slots.map((s) => s.startMs);
  const existing = await db
    .selectFrom('slots')
    .select('start_ms')
    .where('market_id', '=', marketId)
    .where('start_ms', '>=', Math.min(...starts))
    .where('start_ms', '<=', Math.max(...starts))
    .execute();
  const known = new Set(existing.map((row) => row.start_ms));
  const opened: number[] = [];
  for (const slot of slots) {
    if (known.has(slot.startMs)) continue;
    const inserted = await db
      .insertInto('slots')
      .values({
        market_id: marketId,
        start_ms: slot.startMs,
        end_ms: slot.endMs,
        gate_closure_ms: slot.gateClosureMs,
        status: 'open',
        cleared_at_ms: null,
        next_order_sequence: 0,
        settled_at_ms: null,
      })
      .onConflict((oc) => oc.columns(['market_id', 'start_ms']).doNothing())
      .executeTakeFirst();
    // Zero rows: another writer opened it between our read and our insert; it is open all the same.
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) > 0) opened.push(slot.startMs);
  }
  return opened;
}

/** Slots whose gate has closed by `nowMs` and that are not cleared yet (missed ones included), oldest first. */
export async function slotsDueForClearing(db: Db, marketId: string, nowMs: number): Promise<LifecycleSlot[]> {
  const rows = await db
    .selectFrom('slots')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('status', 'in', ['open', 'closed'])
    .where('gate_closure_ms', '<=', nowMs)
    .orderBy('start_ms')
    .execute();
  return rows.map(toLifecycleSlot);
}

/** Cleared, unsettled slots that ended at or before `endedByMs`, oldest first. */
export async function slotsDueForSettlement(
  db: Db,
  marketId: string,
  endedByMs: number,
): Promise<LifecycleSlot[]> {
  const rows = await db
    .selectFrom('slots')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('status', '=', 'cleared')
    .where('settled_at_ms', 'is', null)
    .where('end_ms', '<=', endedByMs)
    .orderBy('start_ms')
    .execute();
  return rows.map(toLifecycleSlot);
}

/** Marks the slot settled unless it already is; false when someone else marked it first. */
export async function markSettled(db: Db, slot: SlotKey, settledAtMs: number): Promise<boolean> {
  const updated = await db
    .updateTable('slots')
    .set({ settled_at_ms: settledAtMs })
    .where('market_id', '=', slot.marketId)
    .where('start_ms', '=', slot.startMs)
    .where('status', '=', 'cleared')
    .where('settled_at_ms', 'is', null)
    .executeTakeFirst();
  return Number(updated.numUpdatedRows) === 1;
}

/** Every registered participant with the aggregator that represents it (null: none). */
export async function listParticipantAggregators(db: Db): Promise<Map<string, string | null>> {
  const rows = await db.selectFrom('participants').select(['id', 'aggregator_id']).orderBy('id').execute();
  return new Map(rows.map((row) => [row.id, row.aggregator_id]));
}

/**
 * Σ energy of each meter's readings with `startMs <= timeMs < endMs` (a reading covers the interval that
 * starts at its time), integer Wh; meters without readings in the slot are absent from the map.
 */
export async function sumSlotReadings(
  db: Db,
  meterIds: readonly string[],
  startMs: number,
  endMs: number,
): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (let from = 0; from < meterIds.length; from += METERS_PER_STATEMENT) {
    const rows = await db
      .selectFrom('meter_readings')
      .select((eb) => ['meter_id', eb.fn.sum<number | string>('energy_wh').as('energy_wh')])
      .where('meter_id', 'in', meterIds.slice(from, from + METERS_PER_STATEMENT))
      .where('time_ms', '>=', startMs)
      .where('time_ms', '<', endMs)
      .groupBy('meter_id')
      .execute();
    // PostgreSQL sums BIGINT as NUMERIC, which arrives as text.
    for (const row of rows) sums.set(row.meter_id, Number(row.energy_wh));
  }
  return sums;
}

export type SlotSettlementOutcome =
  | { readonly outcome: 'settled'; readonly entries: readonly LedgerEntry[] }
  /** The slot was settled before (another operator, or this one before a crash); nothing was written. */
  | { readonly outcome: 'already-settled' }
  /** A concurrent writer appended to the ledger first (or an entry id was taken); nothing was written. */
  | { readonly outcome: 'conflict'; readonly reason: string };

class RollBack extends Error {
  constructor(readonly result: Result<SlotSettlementOutcome>) {
    super('settlement rolled back');
  }
}

/**
 * One transaction: mark the slot settled (only if it is cleared and not settled yet), read the ledger's
 * tail, seal the slot's entries after it (`seal`) and append them. Nothing of it lands unless all of it
 * does. The mark comes first so that on PostgreSQL a second settler waits on the slot row and then finds
 * it settled, instead of sealing entries it would throw away.
 */
export async function appendSlotSettlement(
  db: Kysely<StoreSchema>,
  slot: SlotKey,
  settledAtMs: number,
  seal: (tail: ChainTail) => Result<readonly LedgerEntry[]>,
): Promise<Result<SlotSettlementOutcome>> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (!(await markSettled(trx, slot, settledAtMs)))
        throw new RollBack(ok({ outcome: 'already-settled' }));
      const last = await trx
        .selectFrom('ledger_entries')
        .select(['sequence', 'hash'])
        .orderBy('sequence', 'desc')
        .limit(1)
        .executeTakeFirst();
      const tail: ChainTail =
        last === undefined
          ? { nextSequence: 0, previousHash: GENESIS_HASH }
          : { nextSequence: last.sequence + 1, previousHash: last.hash };
      const sealed = seal(tail);
      if (!sealed.ok) throw new RollBack(sealed);
      const entries = sealed.value;
      const rows = entries.map(toLedgerRow);
      for (let from = 0; from < rows.length; from += LEDGER_ROWS_PER_STATEMENT) {
        await trx
          .insertInto('ledger_entries')
          .values(rows.slice(from, from + LEDGER_ROWS_PER_STATEMENT))
          .execute();
      }
      return ok({ outcome: 'settled' as const, entries });
    });
  } catch (error) {
    if (error instanceof RollBack) return error.result;
    if (isUniqueViolation(error)) {
      return ok({
        outcome: 'conflict',
        reason: `the ledger changed under the settlement of slot ${slot.startMs} of '${slot.marketId}': ${errorText(error)}`,
      });
    }
    throw error;
  }
}

/** The slot's settlement time, or undefined when it is not settled (or does not exist). */
export async function slotSettledAt(db: Db, slot: SlotKey): Promise<number | null | undefined> {
  const row = await db
    .selectFrom('slots')
    .select('settled_at_ms')
    .where('market_id', '=', slot.marketId)
    .where('start_ms', '=', slot.startMs)
    .executeTakeFirst();
  return row?.settled_at_ms;
}

function toLedgerRow(entry: LedgerEntry): LedgerEntryTable {
  if (!Number.isSafeInteger(entry.timeMs)) {
    throw new TeError('TE_ERR_VALIDATION', 'a ledger entry time must be integer epoch milliseconds', {
      path: `${entry.id}.timeMs`,
    });
  }
  return {
    sequence: entry.sequence,
    entry_id: entry.id,
    previous_hash: entry.prevHash,
    hash: entry.hash,
    time_ms: entry.timeMs,
    // Exactly the entry object: `tenet ledger verify` re-derives every hash from this body.
    body: toJsonText(entry),
  };
}

/** A slot row as the lifecycle and the API see it. */
export function toLifecycleSlot(row: StoreSchema['slots']): LifecycleSlot {
  return {
    marketId: row.market_id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    gateClosureMs: row.gate_closure_ms,
    status: row.status,
    clearedAtMs: row.cleared_at_ms,
    settledAtMs: row.settled_at_ms,
  };
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
