/**
 * What the publisher needs of a cleared slot, read from the store (the bus event carries no slot end,
 * rules or fills): the market's rules, the slot's clearing result, and each aggregator member's net
 * scheduled power for dispatch. Read-only.
 */
import type { Kysely } from 'kysely';
import { parseStoredFills, type StoredFills } from '../../live/clearing-fills.js';
import type { MarketRules } from '../../live/market-rules.js';
import { NO_TRADE_STATUS } from '../../live/slot-clearing.js';
import { getMarket, type MarketWithRules } from '../../store/market-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { listParticipantAggregators } from '../../store/slot-lifecycle-repository.js';

type Db = Kysely<StoreSchema>;

export interface MarketSettings {
  readonly marketId: string;
  readonly marketName: string;
  readonly slotDurationMs: number;
  readonly currency: string;
  readonly gridFeePerKwh: number;
}

export async function marketSettings(db: Db, marketId: string): Promise<MarketSettings | undefined> {
  const market = await getMarket<MarketRules>(db, marketId);
  return market === undefined ? undefined : settingsOf(market);
}

export function settingsOf(market: MarketWithRules<MarketRules>): MarketSettings {
  return {
    marketId: market.id,
    marketName: market.name,
    slotDurationMs: market.slotDurationMs,
    currency: market.rules?.currency ?? 'USD',
    gridFeePerKwh: market.rules?.gridFeePerKwh ?? 0,
  };
}

export interface StoredClearedSlot {
  readonly slotStartMs: number;
  /** The single clearing price; null for no trade or a mechanism without one (see storedSlotPrice). */
  readonly pricePerKwh: number | null;
  readonly status: string;
  readonly tradedEnergyWh: number;
}

/** The market's cleared slots starting at or after `fromMs`, oldest first. */
export async function clearedSlotsSince(
  db: Db,
  marketId: string,
  fromMs: number,
): Promise<StoredClearedSlot[]> {
  const rows = await db
    .selectFrom('clearing_results')
    .select(['slot_start_ms', 'price', 'status', 'traded_energy_wh', 'fills'])
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '>=', fromMs)
    .orderBy('slot_start_ms')
    .execute();
  return rows.map((row) => ({
    slotStartMs: row.slot_start_ms,
    pricePerKwh: storedSlotPrice(row.price, row.status, parseStoredFills(row.fills)),
    status: row.status,
    tradedEnergyWh: row.traded_energy_wh,
  }));
}

/**
 * The stored result keeps a price even where the mechanism had none (the traded value per kWh, or 0 for
 * no trade); a single price is one every traded fill shares. The live `slot-cleared` event says it
 * directly; this is for catch-up after a restart.
 */
export function storedSlotPrice(
  price: number,
  status: string,
  fills: StoredFills | undefined,
): number | null {
  if (status === NO_TRADE_STATUS || !Number.isFinite(price)) return null;
  const prices = new Set(
    (fills?.rows ?? [])
      .map((row) => row.pricePerKwh)
      .filter((p): p is number => p !== null)
      .map((p) => Math.round(p * 1e9)),
  );
  if (prices.size > 1) return null;
  const [only] = prices;
  return only === undefined || only === Math.round(price * 1e9) ? price : null;
}

/**
 * Each aggregator member's net scheduled import for the slot, kW (buys minus sells, export negative),
 * for the members with fills. Participants without an aggregator dispatch themselves.
 */
export async function memberSetpoints(
  db: Db,
  marketId: string,
  slotStartMs: number,
): Promise<Map<string, number>> {
  const row = await db
    .selectFrom('clearing_results')
    .select('fills')
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', slotStartMs)
    .executeTakeFirst();
  const fills = row === undefined ? undefined : parseStoredFills(row.fills);
  if (fills === undefined || fills.rows.length === 0) return new Map();
  const aggregators = await listParticipantAggregators(db);
  const setpoints = new Map<string, number>();
  for (const fill of fills.rows) {
    if (fill.partyKind !== 'participant' || (aggregators.get(fill.participantId) ?? null) === null) continue;
    const signed = fill.side === 'buy' ? fill.filledKw : -fill.filledKw;
    setpoints.set(fill.participantId, (setpoints.get(fill.participantId) ?? 0) + signed);
  }
  for (const [id, kw] of setpoints) setpoints.set(id, Math.round(kw * 1e6) / 1e6);
  return setpoints;
}
