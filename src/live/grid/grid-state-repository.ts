/**
 * Solved grid states in the store (table grid_states, migration 0010): written by the clearing leader's
 * monitor, read by every instance's API. A slot solved twice (a new leader solving what the old one did)
 * keeps the later state. Rows older than the retention are pruned by the writer.
 */
import type { Kysely } from 'kysely';
import { fromJsonText, toJsonText } from '../../store/json-column.js';
import type { StoreSchema } from '../../store/schema.js';
import { summaryOf, type GridState, type GridStateSummary } from './grid-state.js';

interface GridStateTable {
  market_id: string;
  slot_start_ms: number;
  solved_ms: number;
  converged: number;
  substation_kw: number | null;
  capacity_kw: number;
  losses_kw: number | null;
  v_min_pu: number | null;
  v_max_pu: number | null;
  max_loading_pct: number | null;
  violation_count: number;
  detail: string;
}

type GridSchema = { grid_states: GridStateTable };
type Db = Kysely<StoreSchema>;

/** The table is this module's own: the shared store schema type stays as it is. */
function gridTables(db: Db): Kysely<GridSchema> {
  return db.withTables<GridSchema>() as unknown as Kysely<GridSchema>;
}

/** Seven days of states, as the brief for the DSO view asks (2,016 five-minute slots). */
export const GRID_STATE_RETENTION_MS = 7 * 86_400_000;

/** The most states one listing returns (seven days of one-minute slots). */
export const MAX_LISTED_STATES = 10_080;

export async function saveGridState(db: Db, state: GridState): Promise<void> {
  const summary = summaryOf(state);
  const row = {
    solved_ms: state.solvedMs,
    converged: state.converged ? 1 : 0,
    substation_kw: finite(state.substationKw),
    capacity_kw: state.capacityKw,
    losses_kw: finite(state.lossesKw),
    v_min_pu: finite(state.vMinPu),
    v_max_pu: finite(state.vMaxPu),
    max_loading_pct: finite(summary.maxLoadingPct),
    violation_count: summary.violationCount,
    detail: toJsonText(state),
  };
  await gridTables(db)
    .insertInto('grid_states')
    .values({ market_id: state.marketId, slot_start_ms: state.slotStartMs, ...row })
    .onConflict((c) => c.columns(['market_id', 'slot_start_ms']).doUpdateSet(row))
    .execute();
}

/** The state of one slot, or of the latest solved slot when `slotStartMs` is absent. */
export async function getGridState(
  db: Db,
  marketId: string,
  slotStartMs?: number,
): Promise<GridState | undefined> {
  let query = gridTables(db).selectFrom('grid_states').select('detail').where('market_id', '=', marketId);
  query =
    slotStartMs === undefined
      ? query.orderBy('slot_start_ms', 'desc').limit(1)
      : query.where('slot_start_ms', '=', slotStartMs);
  const row = await query.executeTakeFirst();
  return row === undefined ? undefined : fromJsonText<GridState>(row.detail);
}

/** Summaries of the states with fromMs <= slot start < toMs, in time order, at most MAX_LISTED_STATES. */
export async function listGridStates(
  db: Db,
  marketId: string,
  fromMs: number,
  toMs: number,
): Promise<GridStateSummary[]> {
  const rows = await gridTables(db)
    .selectFrom('grid_states')
    .select([
      'slot_start_ms',
      'solved_ms',
      'converged',
      'substation_kw',
      'capacity_kw',
      'v_min_pu',
      'v_max_pu',
      'max_loading_pct',
      'violation_count',
    ])
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '>=', fromMs)
    .where('slot_start_ms', '<', toMs)
    .orderBy('slot_start_ms')
    .limit(MAX_LISTED_STATES)
    .execute();
  return rows.map((row) => ({
    slotStartMs: Number(row.slot_start_ms),
    solvedMs: Number(row.solved_ms),
    converged: row.converged === 1,
    substationKw: row.substation_kw,
    capacityKw: row.capacity_kw,
    vMinPu: row.v_min_pu,
    vMaxPu: row.v_max_pu,
    maxLoadingPct: row.max_loading_pct,
    violationCount: row.violation_count,
  }));
}

/** Deletes the market's states of slots that started before `beforeMs`; returns how many. */
export async function pruneGridStates(db: Db, marketId: string, beforeMs: number): Promise<number> {
  const result = await gridTables(db)
    .deleteFrom('grid_states')
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '<', beforeMs)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** The latest settled slot of the market when it has no grid state yet (a restart or a new leader). */
export async function latestSettledSlotWithoutState(db: Db, marketId: string): Promise<number | undefined> {
  const latest = await db
    .selectFrom('slots')
    .select('start_ms')
    .where('market_id', '=', marketId)
    .where('settled_at_ms', 'is not', null)
    .orderBy('start_ms', 'desc')
    .limit(1)
    .executeTakeFirst();
  if (latest === undefined) return undefined;
  const startMs = Number(latest.start_ms);
  const state = await gridTables(db)
    .selectFrom('grid_states')
    .select('slot_start_ms')
    .where('market_id', '=', marketId)
    .where('slot_start_ms', '=', startMs)
    .executeTakeFirst();
  return state === undefined ? startMs : undefined;
}

function finite(value: number | null): number | null {
  return value !== null && Number.isFinite(value) ? value : null;
}
