/**
 * Market integrity for one slot: orders arrive with a client order id until gate closure, and every
 * rejection is a coded error (late, malformed, beyond the cap, unknown participant, duplicate id). The
 * same order sent twice (a retry after a lost acknowledgement) is acknowledged again and changes
 * nothing — submission is idempotent. Replace keeps the order's place when only its quantities shrink
 * and moves it to the back otherwise; cancel removes it. At gate closure the live orders become the
 * slot's `OrderTable`, in submission order.
 */
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { TimeSlot } from '../core/time.js';
import { validateBid } from './book-validation.js';
import { orderTableFrom, type OrderTable } from './mechanism/order-table.js';
import { MAX_STEPS_PER_ORDER } from './order-book.js';
import type { PriceQuantity, Side } from './types.js';

export interface OrderSubmission {
  readonly clientOrderId: string;
  readonly participantId: string;
  readonly side: Side;
  /** A bid curve: one step or several. */
  readonly steps: readonly PriceQuantity[];
  readonly green?: boolean;
}

export interface OrderAck {
  readonly clientOrderId: string;
  readonly status: 'accepted' | 'already-accepted' | 'replaced' | 'cancelled';
  /** Position in submission order (time priority). */
  readonly sequence: number;
}

interface LiveOrder extends OrderSubmission {
  sequence: number;
}

export class SlotOrderIntake {
  private readonly live = new Map<string, LiveOrder>();
  private nextSequence = 0;

  constructor(
    readonly slot: TimeSlot,
    /** Orders are accepted strictly before this time. */
    readonly gateClosureMs: number,
    private readonly participants: ReadonlyMap<string, { readonly index: number; readonly area?: number }>,
    private readonly priceCap: number,
  ) {}

  submit(order: OrderSubmission, atMs: number): Result<OrderAck, TeError> {
    const problem = this.check(order, atMs);
    if (problem !== undefined) return err(problem);
    const existing = this.live.get(order.clientOrderId);
    if (existing !== undefined) {
      if (sameOrder(existing, order)) return ok(this.ack(existing, 'already-accepted'));
      return err(
        new TeError(
          'TE_ERR_DUPLICATE_ORDER',
          `client order id '${order.clientOrderId}' is already used for a different order`,
          {
            path: 'clientOrderId',
            hint: 'use a new client order id for a new order, or replace the existing one',
          },
        ),
      );
    }
    const live: LiveOrder = { ...order, steps: copySteps(order.steps), sequence: this.nextSequence++ };
    this.live.set(order.clientOrderId, live);
    return ok(this.ack(live, 'accepted'));
  }

  replace(order: OrderSubmission, atMs: number): Result<OrderAck, TeError> {
    const existing = this.live.get(order.clientOrderId);
    if (existing === undefined) return err(unknownOrder(order.clientOrderId));
    const problem = this.check(order, atMs);
    if (problem !== undefined) return err(problem);
    if (existing.participantId !== order.participantId || existing.side !== order.side) {
      return err(
        new TeError(
          'TE_ERR_VALIDATION',
          'a replace may change prices and quantities, not the participant or side',
          {
            path: 'clientOrderId',
            hint: 'cancel the order and submit a new one',
          },
        ),
      );
    }
    // Shrinking keeps time priority (nobody is overtaken by a larger claim); anything else goes to the back.
    const keepsPlace =
      existing.steps.length === order.steps.length &&
      existing.steps.every(
        (s, k) => s.price === order.steps[k]?.price && (order.steps[k]?.quantity ?? Infinity) <= s.quantity,
      );
    const replaced: LiveOrder = {
      ...order,
      steps: copySteps(order.steps),
      sequence: keepsPlace ? existing.sequence : this.nextSequence++,
    };
    this.live.set(order.clientOrderId, replaced);
    return ok(this.ack(replaced, 'replaced'));
  }

  cancel(clientOrderId: string, atMs: number): Result<OrderAck, TeError> {
    const late = this.lateness(atMs);
    if (late !== undefined) return err(late);
    const existing = this.live.get(clientOrderId);
    if (existing === undefined) return err(unknownOrder(clientOrderId));
    this.live.delete(clientOrderId);
    return ok(this.ack(existing, 'cancelled'));
  }

  get size(): number {
    return this.live.size;
  }

  /** The live orders as the slot's order table (steps in order, orders by submission sequence). */
  toOrderTable(): OrderTable {
    const orders = [...this.live.values()].sort((a, b) => a.sequence - b.sequence);
    return orderTableFrom(
      orders.flatMap((order) => {
        const participant = this.participants.get(order.participantId);
        return order.steps.map((step) => ({
          side: order.side,
          price: step.price,
          quantity: step.quantity,
          participant: participant?.index ?? -1,
          area: participant?.area ?? -1,
          green: order.green === true,
        }));
      }),
    );
  }

  private check(order: OrderSubmission, atMs: number): TeError | undefined {
    const late = this.lateness(atMs);
    if (late !== undefined) return late;
    if (
      typeof order.clientOrderId !== 'string' ||
      order.clientOrderId.length === 0 ||
      order.clientOrderId.length > 128
    ) {
      return new TeError('TE_ERR_VALIDATION', 'clientOrderId must be a string of 1 to 128 characters', {
        path: 'clientOrderId',
      });
    }
    if (!this.participants.has(order.participantId)) {
      return new TeError(
        'TE_ERR_UNKNOWN_PARTICIPANT',
        `participant '${order.participantId}' is not registered in this market`,
        {
          path: 'participantId',
          hint: 'register the participant before it submits orders',
        },
      );
    }
    if (order.side !== 'buy' && order.side !== 'sell') {
      return new TeError(
        'TE_ERR_VALIDATION',
        `side must be 'buy' or 'sell', got ${JSON.stringify(order.side)}`,
        { path: 'side' },
      );
    }
    if (!Array.isArray(order.steps) || order.steps.length === 0 || order.steps.length > MAX_STEPS_PER_ORDER) {
      return new TeError('TE_ERR_VALIDATION', `an order needs 1 to ${MAX_STEPS_PER_ORDER} steps`, {
        path: 'steps',
      });
    }
    for (let k = 0; k < order.steps.length; k++) {
      const step = order.steps[k];
      const invalid = validateBid(
        `steps[${k}]`,
        order.side,
        Number(step?.price),
        Number(step?.quantity),
        this.priceCap,
      );
      if (invalid !== undefined) return invalid;
      if ((step?.price ?? 0) > this.priceCap) {
        return new TeError(
          'TE_ERR_PRICE_OUT_OF_RANGE',
          `price ${step?.price} is above the price cap ${this.priceCap}`,
          {
            path: `steps[${k}].price`,
            hint: `bid at most ${this.priceCap}; a bid at the cap is must-run`,
          },
        );
      }
    }
    return undefined;
  }

  private lateness(atMs: number): TeError | undefined {
    if (atMs < this.gateClosureMs) return undefined;
    return new TeError(
      'TE_ERR_ORDER_LATE',
      `the gate for the slot starting ${new Date(this.slot.startMs).toISOString()} closed at ${new Date(this.gateClosureMs).toISOString()}`,
      {
        hint: 'submit for the next slot',
      },
    );
  }

  private ack(order: LiveOrder, status: OrderAck['status']): OrderAck {
    return { clientOrderId: order.clientOrderId, status, sequence: order.sequence };
  }
}

function unknownOrder(clientOrderId: string): TeError {
  return new TeError('TE_ERR_UNKNOWN_ORDER', `no live order with client order id '${clientOrderId}'`, {
    path: 'clientOrderId',
    hint: 'it may have been cancelled, or submitted to another slot',
  });
}

function copySteps(steps: readonly PriceQuantity[]): PriceQuantity[] {
  return steps.map(({ price, quantity }) => ({ price, quantity }));
}

function sameOrder(a: OrderSubmission, b: OrderSubmission): boolean {
  return (
    a.participantId === b.participantId &&
    a.side === b.side &&
    (a.green === true) === (b.green === true) &&
    a.steps.length === b.steps.length &&
    a.steps.every((s, k) => s.price === b.steps[k]?.price && s.quantity === b.steps[k]?.quantity)
  );
}
