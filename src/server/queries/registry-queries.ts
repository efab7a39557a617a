/**
 * Reads (and the one write) the API needs on participants and devices that the registry repository
 * does not offer: lists, the aggregator link, who represents whom, and who owns a meter.
 */
import type { Kysely } from 'kysely';
import type { StoreSchema } from '../../store/schema.js';

type Db = Kysely<StoreSchema>;

export interface ParticipantView {
  readonly id: string;
  readonly role: string;
  readonly name: string;
  readonly createdMs: number;
  readonly aggregatorId: string | null;
}

export async function listParticipants(
  db: Db,
  options: { readonly ids?: readonly string[]; readonly limit: number },
): Promise<ParticipantView[]> {
  if (options.ids !== undefined && options.ids.length === 0) return [];
  const rows = await db
    .selectFrom('participants')
    .selectAll()
    .$if(options.ids !== undefined, (q) => q.where('id', 'in', options.ids ?? []))
    .orderBy('id')
    .limit(options.limit)
    .execute();
  return rows.map(toView);
}

export async function findParticipant(db: Db, id: string): Promise<ParticipantView | undefined> {
  const row = await db.selectFrom('participants').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toView(row);
}

/** Inserts the participant with its aggregator; an existing id keeps its row (`created` is false then). */
export async function insertParticipant(
  db: Db,
  participant: ParticipantView,
): Promise<{ readonly created: boolean; readonly stored: ParticipantView }> {
  const result = await db
    .insertInto('participants')
    .values({
      id: participant.id,
      role: participant.role,
      name: participant.name,
      created_ms: participant.createdMs,
      aggregator_id: participant.aggregatorId,
    })
    .onConflict((oc) => oc.column('id').doNothing())
    .executeTakeFirst();
  const created = Number(result.numInsertedOrUpdatedRows ?? 0n) === 1;
  const stored = await findParticipant(db, participant.id);
  return { created, stored: stored ?? participant };
}

/** Ids of the participants whose aggregator is `aggregatorId`. */
export async function representedBy(db: Db, aggregatorId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('participants')
    .select('id')
    .where('aggregator_id', '=', aggregatorId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

export async function findDevice(
  db: Db,
  id: string,
): Promise<{ readonly id: string; readonly participantId: string; readonly kind: string } | undefined> {
  const row = await db
    .selectFrom('devices')
    .select(['id', 'participant_id', 'kind'])
    .where('id', '=', id)
    .executeTakeFirst();
  return row === undefined ? undefined : { id: row.id, participantId: row.participant_id, kind: row.kind };
}

/**
 * The participant each meter belongs to: a premises meter is the participant's own id, a device meter
 * the device's owner. Meters that are neither are absent from the map.
 */
export async function meterOwners(db: Db, meterIds: readonly string[]): Promise<Map<string, string>> {
  const owners = new Map<string, string>();
  const unique = [...new Set(meterIds)];
  for (let start = 0; start < unique.length; start += 500) {
    const chunk = unique.slice(start, start + 500);
    const participants = await db.selectFrom('participants').select('id').where('id', 'in', chunk).execute();
    for (const p of participants) owners.set(p.id, p.id);
    const devices = await db
      .selectFrom('devices')
      .select(['id', 'participant_id'])
      .where('id', 'in', chunk)
      .execute();
    for (const d of devices) if (!owners.has(d.id)) owners.set(d.id, d.participant_id);
  }
  return owners;
}

function toView(row: StoreSchema['participants']): ParticipantView {
  return {
    id: row.id,
    role: row.role,
    name: row.name,
    createdMs: row.created_ms,
    aggregatorId: row.aggregator_id,
  };
}
