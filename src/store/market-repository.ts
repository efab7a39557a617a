/**
 * Markets with their rules. The rules are stored as JSON and validated by the caller against
 * `MarketRulesSchema` (src/live/market-rules.ts) before they are written; a market created before rules
 * existed reads back with `rules: null`.
 */
import type { Kysely } from 'kysely';
import { fromJsonText, toJsonText } from './json-column.js';
import type { StoreSchema } from './schema.js';

type Db = Kysely<StoreSchema>;

export interface MarketWithRules<Rules> {
  readonly id: string;
  readonly name: string;
  readonly slotDurationMs: number;
  readonly createdMs: number;
  readonly rules: Rules | null;
}

/** Creates the market, or replaces its name and rules when it exists. The slot duration follows the rules. */
export async function saveMarket<Rules extends { readonly slotDurationMs: number }>(
  db: Db,
  market: { readonly id: string; readonly name: string; readonly createdMs: number; readonly rules: Rules },
): Promise<void> {
  const rulesText = toJsonText(market.rules);
  await db
    .insertInto('markets')
    .values({
      id: market.id,
      name: market.name,
      slot_duration_ms: market.rules.slotDurationMs,
      created_ms: market.createdMs,
      rules: rulesText,
    })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({
        name: market.name,
        slot_duration_ms: market.rules.slotDurationMs,
        rules: rulesText,
      }),
    )
    .execute();
}

export async function getMarket<Rules>(db: Db, id: string): Promise<MarketWithRules<Rules> | undefined> {
  const row = await db.selectFrom('markets').selectAll().where('id', '=', id).executeTakeFirst();
  return row === undefined ? undefined : toMarket<Rules>(row);
}

export async function listMarkets<Rules>(db: Db): Promise<MarketWithRules<Rules>[]> {
  const rows = await db.selectFrom('markets').selectAll().orderBy('id').execute();
  return rows.map((row) => toMarket<Rules>(row));
}

function toMarket<Rules>(row: StoreSchema['markets']): MarketWithRules<Rules> {
  return {
    id: row.id,
    name: row.name,
    slotDurationMs: row.slot_duration_ms,
    createdMs: row.created_ms,
    rules: row.rules === null ? null : fromJsonText<Rules>(row.rules),
  };
}
