import { describe, expect, it } from 'vitest';
import { uniformPriceAuction } from './mechanism/uniform-price-mechanism.js';
import { SlotOrderIntake, type OrderSubmission } from './order-intake.js';

const slot = { startMs: 1_000_000, endMs: 1_300_000 };
const participants = new Map([
  ['home-1', { index: 0 }],
  ['home-2', { index: 1 }],
  ['supplier', { index: 2 }],
]);
const intake = () => new SlotOrderIntake(slot, slot.startMs, participants, 1);
const order = (overrides: Partial<OrderSubmission> = {}): OrderSubmission => ({
  clientOrderId: 'o-1',
  participantId: 'home-1',
  side: 'buy',
  steps: [{ price: 0.2, quantity: 3 }],
  ...overrides,
});

function codeOf(result: { ok: boolean; error?: { code: string } }): string | undefined {
  return result.ok ? undefined : result.error?.code;
}

describe('SlotOrderIntake', () => {
  it('accepts orders before gate closure and refuses them at and after it', () => {
    const book = intake();
    expect(book.submit(order(), slot.startMs - 1).ok).toBe(true);
    expect(codeOf(book.submit(order({ clientOrderId: 'o-2' }), slot.startMs))).toBe('TE_ERR_ORDER_LATE');
    expect(codeOf(book.cancel('o-1', slot.startMs + 5))).toBe('TE_ERR_ORDER_LATE');
    expect(book.size).toBe(1);
  });

  it('is idempotent for a resent order and refuses a reused id for a different one', () => {
    const book = intake();
    const first = book.submit(order(), 0);
    const again = book.submit(order(), 10);
    expect(first.ok && first.value.status).toBe('accepted');
    expect(again.ok && again.value.status).toBe('already-accepted');
    expect(book.size).toBe(1);
    expect(codeOf(book.submit(order({ steps: [{ price: 0.3, quantity: 3 }] }), 20))).toBe(
      'TE_ERR_DUPLICATE_ORDER',
    );
  });

  it('refuses malformed, out-of-range and unknown-participant orders with coded errors naming the field', () => {
    const book = intake();
    const cases: [Partial<OrderSubmission>, string, string][] = [
      [{ participantId: 'stranger' }, 'TE_ERR_UNKNOWN_PARTICIPANT', 'participantId'],
      [{ steps: [{ price: 1.5, quantity: 1 }] }, 'TE_ERR_PRICE_OUT_OF_RANGE', 'steps[0].price'],
      [{ steps: [{ price: -1.5, quantity: 1 }] }, 'TE_ERR_PRICE_OUT_OF_RANGE', 'steps[0].price'],
      [{ steps: [{ price: 0.1, quantity: -2 }] }, 'TE_ERR_NEGATIVE_QUANTITY', 'steps[0].quantity'],
      [{ steps: [{ price: Number.NaN, quantity: 2 }] }, 'TE_ERR_NOT_FINITE', 'steps[0].price'],
      [{ steps: [] }, 'TE_ERR_VALIDATION', 'steps'],
      [{ clientOrderId: '' }, 'TE_ERR_VALIDATION', 'clientOrderId'],
      [{ side: 'hold' as never }, 'TE_ERR_VALIDATION', 'side'],
    ];
    for (const [overrides, code, path] of cases) {
      const result = book.submit(order(overrides), 0);
      expect(result.ok).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe(code);
        expect(result.error.path).toContain(path);
      }
    }
    expect(book.size).toBe(0);
  });

  it('replaces in place when shrinking, at the back otherwise; cancels; rejects unknown ids', () => {
    const book = intake();
    book.submit(order({ clientOrderId: 'a' }), 0);
    book.submit(order({ clientOrderId: 'b', participantId: 'home-2' }), 1);
    const shrink = book.replace(order({ clientOrderId: 'a', steps: [{ price: 0.2, quantity: 1 }] }), 2);
    expect(shrink.ok && shrink.value.sequence).toBe(0);
    const grow = book.replace(order({ clientOrderId: 'a', steps: [{ price: 0.25, quantity: 5 }] }), 3);
    expect(grow.ok && grow.value.sequence).toBe(2);
    expect(codeOf(book.replace(order({ clientOrderId: 'a', side: 'sell' }), 4))).toBe('TE_ERR_VALIDATION');
    expect(book.cancel('b', 5).ok).toBe(true);
    expect(codeOf(book.cancel('b', 6))).toBe('TE_ERR_UNKNOWN_ORDER');
    expect(codeOf(book.replace(order({ clientOrderId: 'zzz' }), 7))).toBe('TE_ERR_UNKNOWN_ORDER');
  });

  it('hands the live orders to a mechanism as an order table in submission order', () => {
    const book = intake();
    book.submit(
      order({
        clientOrderId: 'buy-1',
        steps: [
          { price: 0.3, quantity: 2 },
          { price: 0.1, quantity: 2 },
        ],
      }),
      0,
    );
    book.submit(
      order({
        clientOrderId: 'sell-1',
        participantId: 'supplier',
        side: 'sell',
        steps: [{ price: 0.05, quantity: 3 }],
      }),
      1,
    );
    const table = book.toOrderTable();
    expect(table.rows).toBe(3);
    expect(Array.from(table.participant)).toEqual([0, 0, 2]);
    const cleared = uniformPriceAuction.clear(table, { slot, priceCap: 1, bidOffset: 0.0001 });
    expect(cleared.ok).toBe(true);
    if (cleared.ok) expect(cleared.value.filled[0] ?? 0).toBeCloseTo(2, 12);
  });
});
