/** The order part of the store contract (see store.contract.ts). */
import { expect, it } from 'vitest';
import { listAuditRecords } from './audit-repository.js';
import { closeSlot, registerParticipant } from './registry-repository.js';
import {
  cancelOrder,
  getOrder,
  listOrderHistory,
  listSlotOrders,
  replaceOrder,
  submitOrder,
  type OrderInput,
  type OrderWrite,
  type OrderWriteOptions,
} from './order-repository.js';
import { errorCode, expectOk, type ContractContext } from './contract-context.js';

const AT_MS = 1_767_225_000_000;

export function describeOrderContract(ctx: ContractContext): void {
  const order = (
    slot: { marketId: string; slotStartMs: number },
    over: Partial<OrderInput> = {},
  ): OrderInput => ({
    ...slot,
    participantId: 'p1',
    clientOrderId: 'c1',
    side: 'buy',
    steps: [{ price: 0.21, quantity: 3.5 }],
    ...over,
  });

  it('submits idempotently: the same order twice is the existing row, a different one is a duplicate', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const first = expectOk(await submitOrder(db, order(slot), AT_MS));
    expect(first.outcome).toBe('accepted');
    const again = expectOk(await submitOrder(db, order(slot), AT_MS + 5));
    expect(again.outcome).toBe('already-accepted');
    expect(again.order).toEqual(first.order);
    const other = await submitOrder(db, order(slot, { steps: [{ price: 0.22, quantity: 3.5 }] }), AT_MS);
    expect(errorCode(other)).toBe('TE_ERR_DUPLICATE_ORDER');
    // The id is unique per participant, not globally.
    expectOk(await submitOrder(db, order(slot, { participantId: 'p2', side: 'sell' }), AT_MS));
    expect(await listSlotOrders(db, slot.marketId, slot.slotStartMs)).toHaveLength(2);
    expect(await listOrderHistory(db, order(slot))).toHaveLength(1);
  });

  it('refuses unknown slots, participants and orders, and non-finite steps, with coded errors', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    expect(errorCode(await submitOrder(db, order(slot, { slotStartMs: 1 }), AT_MS))).toBe(
      'TE_ERR_UNKNOWN_SLOT',
    );
    expect(errorCode(await submitOrder(db, order(slot, { participantId: 'nobody' }), AT_MS))).toBe(
      'TE_ERR_UNKNOWN_PARTICIPANT',
    );
    expect(errorCode(await replaceOrder(db, order(slot), AT_MS))).toBe('TE_ERR_UNKNOWN_ORDER');
    expect(errorCode(await cancelOrder(db, order(slot), AT_MS))).toBe('TE_ERR_UNKNOWN_ORDER');
    expect(
      errorCode(await submitOrder(db, order(slot, { steps: [{ price: NaN, quantity: 1 }] }), AT_MS)),
    ).toBe('TE_ERR_NOT_FINITE');
    expect(await listSlotOrders(db, slot.marketId, slot.slotStartMs)).toEqual([]);
  });

  it('lists a slot in sequence order; a shrink keeps its place, a change goes to the back; cancel removes', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    for (const id of ['a', 'b', 'c']) {
      expectOk(
        await submitOrder(
          db,
          order(slot, { clientOrderId: id, steps: [{ price: 0.2, quantity: 4 }] }),
          AT_MS,
        ),
      );
    }
    const ids = async () =>
      (await listSlotOrders(db, slot.marketId, slot.slotStartMs)).map((o) => o.clientOrderId);
    expect(await ids()).toEqual(['a', 'b', 'c']);
    const shrink = order(slot, { clientOrderId: 'a', steps: [{ price: 0.2, quantity: 2 }] });
    expect(expectOk(await replaceOrder(db, shrink, AT_MS + 1)).outcome).toBe('replaced');
    expect(await ids()).toEqual(['a', 'b', 'c']);
    expect(expectOk(await replaceOrder(db, shrink, AT_MS + 2)).outcome).toBe('unchanged');
    const grow = order(slot, { clientOrderId: 'a', steps: [{ price: 0.25, quantity: 2 }] });
    expectOk(await replaceOrder(db, grow, AT_MS + 3));
    expect(await ids()).toEqual(['b', 'c', 'a']);
    expect(errorCode(await replaceOrder(db, { ...grow, side: 'sell' }, AT_MS + 4))).toBe('TE_ERR_VALIDATION');
    const key = order(slot, { clientOrderId: 'b' });
    expect(expectOk(await cancelOrder(db, key, AT_MS + 5)).outcome).toBe('cancelled');
    expect(expectOk(await cancelOrder(db, key, AT_MS + 6)).outcome).toBe('already-cancelled');
    expect(errorCode(await replaceOrder(db, key, AT_MS + 7))).toBe('TE_ERR_UNKNOWN_ORDER');
    expect(await ids()).toEqual(['c', 'a']);
    expect((await getOrder(db, key))?.status).toBe('cancelled');
    const history = await listOrderHistory(db, order(slot, { clientOrderId: 'a' }));
    expect(history.map((h) => [h.revision, h.action, h.atMs])).toEqual([
      [0, 'submit', AT_MS],
      [1, 'replace', AT_MS + 1],
      [2, 'replace', AT_MS + 3],
    ]);
    expect(history[2]?.steps).toEqual([{ price: 0.25, quantity: 2 }]);
  });

  it('gives concurrent submissions distinct sequences and accepts a concurrent retry once', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const many = Array.from({ length: 40 }, (_, k) =>
      submitOrder(db, order(slot, { clientOrderId: `k${k}`, participantId: `p${(k % 3) + 1}` }), AT_MS + k),
    );
    const retries = Array.from({ length: 8 }, () =>
      submitOrder(db, order(slot, { clientOrderId: 'same' }), AT_MS),
    );
    const results = await Promise.all([...many, ...retries]);
    const outcomes = results.map((r) => expectOk(r).outcome);
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(41);
    expect(outcomes.filter((o) => o === 'already-accepted')).toHaveLength(7);
    const listed = await listSlotOrders(db, slot.marketId, slot.slotStartMs);
    expect(listed).toHaveLength(41);
    const sequences = listed.map((o) => o.sequence);
    expect(new Set(sequences).size).toBe(41);
    expect(sequences).toEqual([...sequences].sort((a, b) => a - b));
  });

  it('refuses submit, replace and cancel once the slot is closed (TE_ERR_ORDER_LATE), keeping what was accepted', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    expectOk(await submitOrder(db, order(slot, { clientOrderId: 'before' }), AT_MS));
    await closeSlot(db, slot.marketId, slot.slotStartMs);
    expect(errorCode(await submitOrder(db, order(slot, { clientOrderId: 'after' }), AT_MS))).toBe(
      'TE_ERR_ORDER_LATE',
    );
    const shrink = order(slot, { clientOrderId: 'before', steps: [{ price: 0.21, quantity: 1 }] });
    expect(errorCode(await replaceOrder(db, shrink, AT_MS))).toBe('TE_ERR_ORDER_LATE');
    const grow = order(slot, { clientOrderId: 'before', steps: [{ price: 0.3, quantity: 9 }] });
    expect(errorCode(await replaceOrder(db, grow, AT_MS))).toBe('TE_ERR_ORDER_LATE');
    expect(errorCode(await cancelOrder(db, order(slot, { clientOrderId: 'before' }), AT_MS))).toBe(
      'TE_ERR_ORDER_LATE',
    );
    // A retry of an order accepted before the close is still acknowledged, not refused.
    expect(expectOk(await submitOrder(db, order(slot, { clientOrderId: 'before' }), AT_MS)).outcome).toBe(
      'already-accepted',
    );
    const listed = await listSlotOrders(db, slot.marketId, slot.slotStartMs);
    expect(listed.map((o) => [o.clientOrderId, o.steps[0]?.quantity])).toEqual([['before', 3.5]]);
    expect(await listOrderHistory(db, order(slot, { clientOrderId: 'before' }))).toHaveLength(1);
  });

  it('never acknowledges an order the operator missed: close then read, racing submissions', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const submissions = Array.from({ length: 60 }, (_, k) =>
      submitOrder(
        db,
        order(slot, { clientOrderId: `race${k}`, participantId: `p${(k % 3) + 1}` }),
        AT_MS + k,
      ),
    );
    // The operator's gate: close the slot, then read its orders (as src/live does).
    const gate = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      await closeSlot(db, slot.marketId, slot.slotStartMs);
      return listSlotOrders(db, slot.marketId, slot.slotStartMs);
    })();
    const [read, ...results] = await Promise.all([gate, ...submissions]);
    const cleared = new Set(read.map((o) => o.clientOrderId));
    results.forEach((result, k) => {
      if (result.ok) expect(cleared.has(`race${k}`), `race${k} was acknowledged but not read`).toBe(true);
      else expect(result.error.code).toBe('TE_ERR_ORDER_LATE');
    });
    const after = await listSlotOrders(db, slot.marketId, slot.slotStartMs);
    expect(after.map((o) => o.clientOrderId).sort()).toEqual([...cleared].sort());
  });

  it('writes the audit record of a change in the same transaction, and none for repeats or refusals', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const target = `order:${slot.marketId}/c1`;
    const audited: OrderWriteOptions = {
      audit: (written: OrderWrite) => ({
        timeMs: written.order.updatedMs,
        actor: 'tester',
        action: written.outcome,
        target,
        details: { sequence: written.order.sequence, revision: written.order.revision },
      }),
    };
    const actions = async () => (await listAuditRecords(db, { target })).map((r) => r.action);
    const accepted = expectOk(await submitOrder(db, order(slot), AT_MS, audited));
    expectOk(await submitOrder(db, order(slot), AT_MS + 1, audited));
    const duplicate = order(slot, { steps: [{ price: 0.3, quantity: 1 }] });
    expect(errorCode(await submitOrder(db, duplicate, AT_MS, audited))).toBe('TE_ERR_DUPLICATE_ORDER');
    expect(await actions()).toEqual(['accepted']);
    const [record] = await listAuditRecords(db, { target });
    expect(record).toMatchObject({
      timeMs: AT_MS,
      actor: 'tester',
      details: { sequence: accepted.order.sequence, revision: 0 },
    });
    const shrink = order(slot, { steps: [{ price: 0.21, quantity: 1 }] });
    expectOk(await replaceOrder(db, shrink, AT_MS + 2, audited));
    expectOk(await replaceOrder(db, shrink, AT_MS + 3, audited));
    expectOk(await cancelOrder(db, order(slot), AT_MS + 4, audited));
    expectOk(await cancelOrder(db, order(slot), AT_MS + 5, audited));
    expect(errorCode(await submitOrder(db, order(slot, { participantId: 'nobody' }), AT_MS, audited))).toBe(
      'TE_ERR_UNKNOWN_PARTICIPANT',
    );
    expect(await actions()).toEqual(['accepted', 'replaced', 'cancelled']);
  });

  it('keeps nothing of a write whose audit record cannot be written', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const failing: OrderWriteOptions = {
      audit: () => {
        throw new Error('audit unavailable');
      },
    };
    await expect(submitOrder(db, order(slot), AT_MS, failing)).rejects.toThrow('audit unavailable');
    expect(await listSlotOrders(db, slot.marketId, slot.slotStartMs)).toEqual([]);
    expect(await listOrderHistory(db, order(slot))).toEqual([]);
    const first = expectOk(await submitOrder(db, order(slot), AT_MS));
    await expect(cancelOrder(db, order(slot), AT_MS + 1, failing)).rejects.toThrow('audit unavailable');
    expect(await getOrder(db, order(slot))).toEqual(first.order);
  });

  it('lands a submission made while another transaction is open outside that transaction', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    let submitted: Promise<unknown> = Promise.resolve();
    // The other transaction spans awaits and then rolls back: the submission must not have joined it.
    const rolledBack = db.transaction().execute(async (trx) => {
      await registerParticipant(trx, {
        id: `tmp-${slot.marketId}`,
        role: 'prosumer',
        name: 'tmp',
        createdMs: 0,
      });
      submitted = submitOrder(db, order(slot, { clientOrderId: 'during' }), AT_MS);
      await new Promise((resolve) => setTimeout(resolve, 20));
      throw new Error('roll back');
    });
    await expect(rolledBack).rejects.toThrow('roll back');
    expect(expectOk((await submitted) as Awaited<ReturnType<typeof submitOrder>>).outcome).toBe('accepted');
    const listed = await listSlotOrders(db, slot.marketId, slot.slotStartMs);
    expect(listed.map((o) => o.clientOrderId)).toEqual(['during']);
  });

  it('among concurrent submissions, refusals take no sequence and a failed write leaves the others written', async () => {
    const db = ctx.store().db;
    const slot = await ctx.freshSlot();
    const burst = (round: string, failingAt?: number) =>
      Promise.allSettled(
        Array.from({ length: 30 }, (_, k) => {
          const failing: OrderWriteOptions = {
            audit: () => {
              throw new Error('audit unavailable');
            },
          };
          if (k === failingAt)
            return submitOrder(db, order(slot, { clientOrderId: `${round}-fails` }), AT_MS, failing);
          if (k % 5 === 1) {
            return submitOrder(
              db,
              order(slot, { clientOrderId: `${round}-x${k}`, participantId: 'nobody' }),
              AT_MS,
            );
          }
          if (k % 5 === 2) return submitOrder(db, order(slot, { clientOrderId: `${round}-twice` }), AT_MS);
          if (k === 3)
            return submitOrder(db, order(slot, { clientOrderId: `${round}-k8`, side: 'sell' }), AT_MS);
          return submitOrder(db, order(slot, { clientOrderId: `${round}-k${k}` }), AT_MS);
        }),
      );
    const outcomes = (settled: PromiseSettledResult<Awaited<ReturnType<typeof submitOrder>>>[]) =>
      settled.map((r) =>
        r.status === 'fulfilled' ? (r.value.ok ? r.value.value.outcome : r.value.error.code) : 'failed',
      );
    // k3 takes the id k8 uses later in the burst, for a different order: k8 is the duplicate.
    const clean = outcomes(await burst('a'));
    expect(clean.filter((c) => c === 'TE_ERR_UNKNOWN_PARTICIPANT')).toHaveLength(6);
    expect(clean.filter((c) => c === 'TE_ERR_DUPLICATE_ORDER')).toHaveLength(1);
    expect(clean.filter((c) => c === 'already-accepted')).toHaveLength(5);
    expect(clean.filter((c) => c === 'accepted')).toHaveLength(18);
    const failed = await burst('b', 7);
    expect(failed[7]?.status).toBe('rejected');
    const others = outcomes(failed);
    expect(others.filter((c) => c === 'accepted')).toHaveLength(18);
    expect(others.filter((c) => c === 'already-accepted')).toHaveLength(4);
    const listed = await listSlotOrders(db, slot.marketId, slot.slotStartMs);
    expect(listed).toHaveLength(36);
    expect(listed.map((o) => o.sequence)).toEqual(listed.map((_, k) => k));
    expect(listed.map((o) => o.clientOrderId)).not.toContain('b-fails');
    expect(await listOrderHistory(db, order(slot, { clientOrderId: 'b-fails' }))).toEqual([]);
  });
}
