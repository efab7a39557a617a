/**
 * Participants, their devices, markets and market slots: the rows orders, readings and results refer
 * to. Registration is idempotent (registering the same id again keeps the first row).
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { fromJsonText, toJsonText } from './json-column.js';
import type { SlotStatus, StoreSchema } from './schema.js';

type Db = Kysely<StoreSchema>;

export interface Participant {
  readonly id: string;
  readonly role: string;
  readonly name: string;
  readonly createdMs: number;
}

export interface Device {
  readonly id: string;
  readonly participantId: string;
  readonly kind: string;
  readonly params: unknown;
}

export interface Market {
  readonly id: string;
  readonly name: string;
  readonly slotDurationMs: number;
  readonly createdMs: number;
}

export interface Slot {
  readonly marketId: string;
  readonly startMs: number;
  readonly endMs: number;
  readonly gateClosureMs: number;
  readonly status: SlotStatus;
  readonly clearedAtMs: number | null;
}

export async function registerParticipant(db: Db, participant: Participant): Promise<void> {
  await db
    .insertInto('participants')
    .values({
      id: participant.id,
      role: participant.role,
      name: participant.name,
      created_ms: participant.createdMs,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function getParticipant(db: Db, id: string): Promise<Participant | undefined> {
  const row = await db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined
    ? undefined
    : { id: row.id, role: row.role, name: row.name, createdMs: row.created_ms };
}

export async function registerDevice(db: Db, device: Device): Promise<void> {
  await db
    .insertInto('devices')
    .values({
      id: device.id,
      participant_id: device.participantId,
      kind: device.kind,
      params: toJsonText(device.params),
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

export async function listParticipantDevices(db: Db, participantId: string): Promise<Device[]> {
  const rows = await db
    .selectFrom('devices')
    .selectAll()
    .where('participant_id', '=', participantId)
    .orderBy('id')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    kind: r.kind,
    params: fromJsonText<unknown>(r.params),
  }));
}

export async function createMarket(db: Db, market: Market): Promise<void> {
  await db
    .insertInto('markets')
    .values({
      id: market.id,
      name: market.name,
      slot_duration_ms: market.slotDurationMs,
      created_ms: market.createdMs,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
}

/** Opens a slot for orders (status `open`); opening it again keeps the existing row. */
export async function openSlot(
  db: Db,
  slot: Pick<Slot, 'marketId' | 'startMs' | 'endMs' | 'gateClosureMs'>,
): Promise<void> {
  await db
    .insertInto('slots')
    .values({
      market_id: slot.marketId,
      start_ms: slot.startMs,
      end_ms: slot.endMs,
      gate_closure_ms: slot.gateClosureMs,
      status: 'open',
      cleared_at_ms: null,
      next_order_sequence: 0,
    })
    .onConflict((oc) => oc.columns(['market_id', 'start_ms']).doNothing())
    .execute();
}

export async function getSlot(db: Db, marketId: string, startMs: number): Promise<Slot | undefined> {
  const row = await db
    .selectFrom('slots')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('start_ms', '=', startMs)
    .executeTakeFirst();
  if (row === undefined) return undefined;
  return {
    marketId: row.market_id,
    startMs: row.start_ms,
    endMs: row.end_ms,
    gateClosureMs: row.gate_closure_ms,
    status: row.status,
    clearedAtMs: row.cleared_at_ms,
  };
}

/** Marks a slot `closed` at gate closure (a cleared slot stays cleared). */
export async function closeSlot(db: Db, marketId: string, startMs: number): Promise<void> {
  await db
    .updateTable('slots')
    .set({ status: 'closed' })
    .where('market_id', '=', marketId)
    .where('start_ms', '=', startMs)
    .where('status', '=', 'open')
    .execute();
}

export function unknownSlot(marketId: string, slotStartMs: number): TeError {
  return new TeError('TE_ERR_UNKNOWN_SLOT', `market '${marketId}' has no slot starting at ${slotStartMs}`, {
    path: 'slotStartMs',
    hint: 'open the slot before writing to it; slot starts are epoch milliseconds',
  });
}

/** Which of `ids` are registered participants (looked up 500 at a time). */
export async function registeredParticipantIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
  const known = new Set<string>();
  const unique = [...new Set(ids)];
  for (let start = 0; start < unique.length; start += 500) {
    const rows = await db
      .selectFrom('participants')
      .select('id')
      .where('id', 'in', unique.slice(start, start + 500))
      .execute();
    for (const row of rows) known.add(row.id);
  }
  return known;
}
