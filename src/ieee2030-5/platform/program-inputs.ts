/**
 * The store reads a program snapshot is built from: clearing results of slots that have not ended, and
 * operating envelopes that have not ended. Envelopes are read from the OpenADR events the envelope route
 * writes (the one place they are stored), through the same parser a VEN uses (`envelopeOfEvent`), and only
 * events the market itself wrote (their unique name key), never a look-alike a client posted.
 */
import type { Kysely } from 'kysely';
import { parseStoredFills } from '../../live/clearing-fills.js';
import { envelopeOfEvent, type EventLike } from '../../openadr3/market/market-mapping.js';
import { marketEventNameKey } from '../../openadr3/market/market-objects.js';
import type { StoreSchema } from '../../store/schema.js';
import type { DispatchInput, EnvelopeInput } from './program-snapshot.js';

type Db = Kysely<StoreSchema>;

/** Each participant's net cleared power per slot that ends after `nowMs` (buys minus sells, kW). */
export async function readDispatches(db: Db, nowMs: number): Promise<DispatchInput[]> {
  const rows = await db
    .selectFrom('clearing_results as r')
    .innerJoin('slots as s', (join) =>
      join.onRef('s.market_id', '=', 'r.market_id').onRef('s.start_ms', '=', 'r.slot_start_ms'),
    )
    .select(['r.market_id', 'r.slot_start_ms', 's.end_ms', 'r.fills', 'r.cleared_at_ms'])
    .where('s.end_ms', '>', nowMs)
    .execute();
  const dispatches: DispatchInput[] = [];
  for (const row of rows) {
    const net = new Map<string, number>();
    for (const fill of parseStoredFills(row.fills)?.rows ?? []) {
      if (fill.partyKind !== 'participant' || !Number.isFinite(fill.filledKw)) continue;
      const signed = fill.side === 'buy' ? fill.filledKw : -fill.filledKw;
      net.set(fill.participantId, (net.get(fill.participantId) ?? 0) + signed);
    }
    for (const [participantId, kw] of net) {
      dispatches.push({
        marketId: row.market_id,
        participantId,
        slotStartMs: Number(row.slot_start_ms),
        slotEndMs: Number(row.end_ms),
        // Rounded to the milliwatt so float sums of equal buys and sells read 0, not 1e-16.
        netImportKw: Math.round(kw * 1e6) / 1e6,
        clearedAtMs: Number(row.cleared_at_ms),
      });
    }
  }
  return dispatches;
}

/** Every market-written operating envelope that ends after `nowMs`. */
export async function readEnvelopes(db: Db, nowMs: number): Promise<EnvelopeInput[]> {
  const rows = await db
    .selectFrom('openadr_objects')
    .select(['body', 'created_ms'])
    .where('object_type', '=', 'EVENT')
    .where('name_key', 'like', marketEventNameKey('market:%:envelope:%'))
    .where('ends_ms', '>', nowMs)
    .execute();
  const envelopes: EnvelopeInput[] = [];
  for (const row of rows) {
    const event = parseEvent(row.body);
    const envelope = event === undefined ? undefined : envelopeOfEvent(event);
    if (envelope === undefined) continue;
    envelopes.push({ ...envelope, createdMs: Number(row.created_ms) });
  }
  return envelopes;
}

/**
 * A cheap summary of the inputs (how many clearing results and envelope events have not ended, and the
 * latest clearing and envelope write): equal summaries mean there is nothing new to rebuild from. A
 * revision written in the same millisecond as the previous one is missed here; the change feed catches
 * those on the instance that wrote them.
 */
export async function readInputsVersion(db: Db, nowMs: number): Promise<string> {
  const cleared = await db
    .selectFrom('clearing_results as r')
    .innerJoin('slots as s', (join) =>
      join.onRef('s.market_id', '=', 'r.market_id').onRef('s.start_ms', '=', 'r.slot_start_ms'),
    )
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('r.cleared_at_ms').as('latest')])
    .where('s.end_ms', '>', nowMs)
    .executeTakeFirst();
  const envelopes = await db
    .selectFrom('openadr_objects')
    .select((eb) => [eb.fn.countAll<number | string>().as('n'), eb.fn.max('modified_ms').as('latest')])
    .where('object_type', '=', 'EVENT')
    .where('name_key', 'like', marketEventNameKey('market:%:envelope:%'))
    .where('ends_ms', '>', nowMs)
    .executeTakeFirst();
  return [cleared?.n, cleared?.latest, envelopes?.n, envelopes?.latest].map((v) => String(v ?? '')).join('|');
}

function parseEvent(text: string): EventLike | undefined {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as EventLike) : undefined;
  } catch {
    return undefined;
  }
}
