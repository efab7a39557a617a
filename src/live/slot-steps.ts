/**
 * One live slot's book as the gate-closure clearing sees it (slot-clearing.ts): the supplier's standing
 * offer first, then every step of every stored order in time priority, orders with a step outside the
 * market's rules left out. The public views of a slot (its aggregated curves, a continuous market's
 * depth) read the book through this, so they show what the mechanism cleared and nothing else.
 *
 * The supplier's offer comes from the market's rules as they are now: a slot cleared before the
 * operator changed the supplier's price or capacity is shown with the new offer.
 */
import { validateBid } from '../market/book-validation.js';
import type { Side } from '../market/types.js';
import type { StoredOrder } from '../store/order-repository.js';
import { supplierPriceAt, type MarketRules } from './market-rules.js';

/** What the book needs of a stored order (a StoredOrder is one). */
export type BookOrder = Pick<StoredOrder, 'participantId' | 'side' | 'steps'>;

export interface SlotBookSteps {
  /** Per step, in submission order. */
  readonly side: readonly Side[];
  readonly price: Float64Array;
  readonly quantity: Float64Array;
  /** Who submitted the step, as a small index (the supplier is 0): a continuous book refuses self-trades. */
  readonly participant: Uint32Array;
  readonly count: number;
}

export function slotBookSteps(
  slotStartMs: number,
  rules: MarketRules,
  orders: readonly BookOrder[],
): SlotBookSteps {
  let capacity = rules.supplier === undefined ? 0 : 1;
  for (const order of orders) capacity += order.steps.length;
  const side: Side[] = [];
  const price = new Float64Array(capacity);
  const quantity = new Float64Array(capacity);
  const participant = new Uint32Array(capacity);
  let count = 0;
  const push = (s: Side, p: number, q: number, who: number) => {
    side.push(s);
    price[count] = p;
    quantity[count] = q;
    participant[count] = who;
    count += 1;
  };
  if (rules.supplier !== undefined) {
    push('sell', supplierPriceAt(rules.supplier, slotStartMs), rules.supplier.capacityKw, 0);
  }
  const participants = new Map<string, number>();
  for (const order of orders) {
    const invalid = order.steps.some(
      (s, k) =>
        validateBid(`steps[${k}]`, order.side, s.price, s.quantity, rules.priceCapPerKwh) !== undefined,
    );
    if (invalid) continue;
    let who = participants.get(order.participantId);
    if (who === undefined) {
      who = participants.size + 1;
      participants.set(order.participantId, who);
    }
    for (const s of order.steps) push(order.side, s.price, s.quantity, who);
  }
  return {
    side,
    price: price.subarray(0, count),
    quantity: quantity.subarray(0, count),
    participant: participant.subarray(0, count),
    count,
  };
}
