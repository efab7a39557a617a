/**
 * What charging orders bought: the buy fills under `ocpp-evse-{n}` client order ids in a market's cleared
 * slots, by participant and EVSE. Read by the profiles (what to send) and the bids (what is bought but
 * not metered yet).
 */
import type { Kysely } from 'kysely';
import type { StoredFills } from '../live/clearing-fills.js';
import { fromJsonText } from '../store/json-column.js';
import type { StoreSchema } from '../store/schema.js';

/** The client order id of an EVSE's bids: one order per EVSE and slot. */
export function chargingOrderId(evseId: number): string {
  return `ocpp-evse-${evseId}`;
}

const ORDER_ID = /^ocpp-evse-([1-9][0-9]{0,8})$/;

export interface ChargingFills {
  /** Starts of the cleared slots read, oldest first (with or without charging fills). */
  readonly slotStarts: readonly number[];
  /** participant → EVSE → slot start → kW bought. */
  readonly bought: ReadonlyMap<string, ReadonlyMap<number, ReadonlyMap<number, number>>>;
}

/** Charging fills of the market's slots cleared with a start after `afterMs`. */
export async function readChargingFills(
  db: Kysely<StoreSchema>,
  marketId: string,
  afterMs: number,
): Promise<ChargingFills> {
  const rows = await db
    .selectFrom('clearing_results')
    .select(['slot_start_ms', 'fills'])
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '>', afterMs)
    .orderBy('slot_start_ms')
    .execute();
  const bought = new Map<string, Map<number, Map<number, number>>>();
  for (const row of rows) {
    for (const fill of fromJsonText<StoredFills>(row.fills).rows) {
      const evse = ORDER_ID.exec(fill.clientOrderId);
      if (fill.partyKind !== 'participant' || fill.side !== 'buy' || evse === null) continue;
      const evses = bought.get(fill.participantId) ?? new Map<number, Map<number, number>>();
      bought.set(fill.participantId, evses);
      const slots = evses.get(Number(evse[1])) ?? new Map<number, number>();
      evses.set(Number(evse[1]), slots);
      slots.set(row.slot_start_ms, (slots.get(row.slot_start_ms) ?? 0) + fill.filledKw);
    }
  }
  return { slotStarts: rows.map((row) => row.slot_start_ms), bought };
}

/**
 * Energy bought for an EVSE that its register cannot show yet: the part of each bought slot after
 * `meteredUntilMs` (the register's time, or the need's arrival when later: a previous EV's purchases
 * are not this one's).
 */
export function unmeteredWh(
  slots: ReadonlyMap<number, number> | undefined,
  slotDurationMs: number,
  meteredUntilMs: number,
): number {
  let wh = 0;
  for (const [startMs, kw] of slots ?? []) {
    const fromMs = Math.max(startMs, meteredUntilMs);
    const toMs = startMs + slotDurationMs;
    if (toMs > fromMs) wh += (kw * 1000 * (toMs - fromMs)) / 3_600_000;
  }
  return wh;
}
