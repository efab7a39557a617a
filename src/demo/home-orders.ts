/**
 * From the community's bids to one order per home and side, and back from the market's fills to rows.
 * Each device bid stays its own step of the home's curve (several steps = a bid curve), so a fill read
 * back by (client order id, step) lands on the device that bid it, and devices are dispatched exactly as
 * the engine dispatches them.
 */
import type { StoredFill } from '../live/clearing-fills.js';
import { BUY, type OrderTable } from '../market/mechanism/order-table.js';
import type { Side } from '../market/types.js';
import type { OrderStep, OrderSubmission } from './api-client.js';

export interface PlannedOrder {
  readonly submission: OrderSubmission;
  /** The table row of each step. */
  readonly rows: readonly number[];
}

export interface HomeOrders {
  readonly homeIndex: number;
  readonly participantId: string;
  /** A buy order, a sell order, both, or none (a home with nothing to bid). */
  readonly orders: readonly PlannedOrder[];
}

/** The client order id of a home's order for a slot: stable, so a resend is recognised as the same. */
export function clientOrderIdFor(participantId: string, slotStartMs: number, side: Side): string {
  return `${participantId}-${slotStartMs}-${side}`;
}

/**
 * One buy and one sell order per home from the rows whose participant is a home (`participantIds`
 * index); the engine's own rows (the supplier's offer) stay out, the live market has its own supplier.
 */
export function planHomeOrders(
  table: OrderTable,
  participantIds: readonly string[],
  marketId: string,
  slotStartMs: number,
): HomeOrders[] {
  const sides = participantIds.map(() => ({
    buy: { steps: [] as OrderStep[], rows: [] as number[], green: true },
    sell: { steps: [] as OrderStep[], rows: [] as number[], green: true },
  }));
  for (let row = 0; row < table.rows; row++) {
    const home = sides[table.participant[row] ?? -1];
    if (home === undefined) continue;
    const side = table.side[row] === BUY ? home.buy : home.sell;
    side.steps.push({ price: table.price[row] ?? 0, quantity: table.quantity[row] ?? 0 });
    side.rows.push(row);
    if (table.green[row] !== 1) side.green = false;
  }
  return participantIds.map((participantId, homeIndex) => {
    const home = sides[homeIndex] as (typeof sides)[number];
    const orders: PlannedOrder[] = [];
    for (const side of ['buy', 'sell'] as const) {
      const { steps, rows, green } = home[side];
      if (steps.length === 0) continue;
      orders.push({
        submission: {
          marketId,
          slotStartMs,
          participantId,
          clientOrderId: clientOrderIdFor(participantId, slotStartMs, side),
          side,
          steps,
          // The order's energy is renewable only if every step is (PV export; a battery's is not).
          ...(side === 'sell' && green ? { green: true } : {}),
        },
        rows,
      });
    }
    return { homeIndex, participantId, orders };
  });
}

/**
 * Adds each fill of the home's accepted orders to `filledKw` at its row. Fills of orders not listed (not
 * ours, or refused) are ignored.
 */
export function addFillsToRows(
  accepted: readonly PlannedOrder[],
  fills: readonly StoredFill[],
  filledKw: Float64Array,
): number {
  const byOrder = new Map(accepted.map((order) => [order.submission.clientOrderId, order]));
  let matched = 0;
  for (const fill of fills) {
    if (fill.partyKind !== 'participant') continue;
    const order = byOrder.get(fill.clientOrderId);
    if (order === undefined || order.submission.participantId !== fill.participantId) continue;
    const row = order.rows[fill.step];
    if (row === undefined || !(fill.filledKw > 0)) continue;
    filledKw[row] = (filledKw[row] ?? 0) + fill.filledKw;
    matched++;
  }
  return matched;
}
