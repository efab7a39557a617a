/**
 * A slot's clearing result, stored once together with the slot's move to `cleared` (one transaction).
 * Storing the same result again is acknowledged; a different one is `TE_ERR_SLOT_ALREADY_CLEARED`.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { fromJsonText, toJsonText } from './json-column.js';
import { unknownSlot } from './registry-repository.js';
import type { ClearingResultTable, StoreSchema } from './schema.js';
import { isUniqueViolation } from './store-errors.js';

export interface ClearingResultRecord {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly mechanism: string;
  /** The clearing price in the market's price unit (e.g. currency per kWh). */
  readonly price: number;
  readonly status: string;
  readonly tradedEnergyWh: number;
  readonly tradedValueMinor: number;
  readonly fills: unknown;
  readonly clearedAtMs: number;
}

type Db = Kysely<StoreSchema>;

export async function storeClearingResult(
  db: Db,
  result: ClearingResultRecord,
): Promise<Result<{ readonly outcome: 'stored' | 'already-stored' }>> {
  for (const [name, value] of [
    ['tradedEnergyWh', result.tradedEnergyWh],
    ['tradedValueMinor', result.tradedValueMinor],
    ['clearedAtMs', result.clearedAtMs],
  ] as const) {
    if (!Number.isSafeInteger(value)) {
      return err(new TeError('TE_ERR_VALIDATION', `${name} must be a safe integer`, { path: name }));
    }
  }
  if (!Number.isFinite(result.price)) {
    return err(new TeError('TE_ERR_NOT_FINITE', 'the clearing price is not finite', { path: 'price' }));
  }
  const row = toRow(result);
  try {
    return await db.transaction().execute(async (trx) => {
      const existing = await findRow(trx, result.marketId, result.slotStartMs);
      if (existing !== undefined) return sameAsExisting(existing, row);
      const slot = await trx
        .updateTable('slots')
        .set({ status: 'cleared', cleared_at_ms: result.clearedAtMs })
        .where('market_id', '=', result.marketId)
        .where('start_ms', '=', result.slotStartMs)
        .executeTakeFirst();
      if (Number(slot.numUpdatedRows) === 0) return err(unknownSlot(result.marketId, result.slotStartMs));
      await trx.insertInto('clearing_results').values(row).execute();
      return ok({ outcome: 'stored' as const });
    });
  } catch (error) {
    // A concurrent writer stored this slot's result first.
    if (!isUniqueViolation(error)) throw error;
    const existing = await findRow(db, result.marketId, result.slotStartMs);
    if (existing === undefined) throw error;
    return sameAsExisting(existing, row);
  }
}

export async function getClearingResult(
  db: Db,
  marketId: string,
  slotStartMs: number,
): Promise<ClearingResultRecord | undefined> {
  const row = await findRow(db, marketId, slotStartMs);
  if (row === undefined) return undefined;
  return {
    marketId: row.market_id,
    slotStartMs: row.slot_start_ms,
    mechanism: row.mechanism,
    price: row.price,
    status: row.status,
    tradedEnergyWh: row.traded_energy_wh,
    tradedValueMinor: row.traded_value_minor,
    fills: fromJsonText<unknown>(row.fills),
    clearedAtMs: row.cleared_at_ms,
  };
}

function findRow(db: Db, marketId: string, slotStartMs: number): Promise<ClearingResultTable | undefined> {
  return db
    .selectFrom('clearing_results')
    .selectAll()
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', slotStartMs)
    .executeTakeFirst();
}

function toRow(result: ClearingResultRecord): ClearingResultTable {
  return {
    market_id: result.marketId,
    slot_start_ms: result.slotStartMs,
    mechanism: result.mechanism,
    price: result.price,
    status: result.status,
    traded_energy_wh: result.tradedEnergyWh,
    traded_value_minor: result.tradedValueMinor,
    fills: toJsonText(result.fills),
    cleared_at_ms: result.clearedAtMs,
  };
}

function sameAsExisting(
  existing: ClearingResultTable,
  row: ClearingResultTable,
): Result<{ readonly outcome: 'already-stored' }> {
  const same = (Object.keys(row) as (keyof ClearingResultTable)[]).every((k) => existing[k] === row[k]);
  if (same) return ok({ outcome: 'already-stored' });
  return err(
    new TeError(
      'TE_ERR_SLOT_ALREADY_CLEARED',
      `slot ${row.slot_start_ms} of market '${row.market_id}' already has a different clearing result`,
      { path: 'slotStartMs', hint: 'a slot clears once; read the stored result instead' },
    ),
  );
}
