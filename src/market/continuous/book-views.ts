/**
 * Read-only views of a continuous book for dashboards, tests and audit: depth by price level, one
 * resting order, and a snapshot of every resting order in priority order. These allocate; they are
 * not on the matching path.
 */
import type { Side } from '../types.js';
import type { BookState } from './order-matching.js';
import { NO_ORDER } from './order-store.js';
import type { BookSide } from './price-levels.js';

export interface DepthLevel {
  readonly price: number;
  /** Total open quantity at this price. */
  readonly quantity: number;
  readonly orders: number;
}

export interface RestingOrder {
  readonly orderId: number;
  readonly side: Side;
  readonly price: number;
  /** Open quantity. */
  readonly quantity: number;
  readonly participant: number;
  readonly area: number;
}

export interface BookSnapshot {
  /** Trades so far (the sequence number of the last trade). */
  readonly tradeCount: number;
  /** Best first; within a price, first come first. */
  readonly bids: readonly RestingOrder[];
  readonly asks: readonly RestingOrder[];
}

function sideOf(book: BookState, side: Side): BookSide {
  return side === 'buy' ? book.bids : book.asks;
}

export function depthOf(book: BookState, side: Side, maxLevels: number): DepthLevel[] {
  const levels = sideOf(book, side);
  const depth: DepthLevel[] = [];
  for (let index = levels.length - 1; index >= 0 && depth.length < maxLevels; index--) {
    const level = levels.levels[index] as number;
    depth.push({
      price: (book.levels.ticks[level] as number) / book.ticksPerUnit,
      quantity: book.levels.quantity[level] as number,
      orders: book.levels.orders[level] as number,
    });
  }
  return depth;
}

export function restingOrder(book: BookState, slot: number): RestingOrder {
  const store = book.store;
  const level = store.level[slot] as number;
  return {
    orderId: store.idOf(slot),
    side: store.side[slot] === 0 ? 'buy' : 'sell',
    price: (book.levels.ticks[level] as number) / book.ticksPerUnit,
    quantity: store.quantity[slot] as number,
    participant: store.participant[slot] as number,
    area: store.area[slot] as number,
  };
}

function ordersOf(book: BookState, side: Side): RestingOrder[] {
  const levels = sideOf(book, side);
  const orders: RestingOrder[] = [];
  for (let index = levels.length - 1; index >= 0; index--) {
    const level = levels.levels[index] as number;
    for (
      let slot = book.levels.head[level] as number;
      slot !== NO_ORDER;
      slot = book.store.next[slot] as number
    )
      orders.push(restingOrder(book, slot));
  }
  return orders;
}

export function bookSnapshot(book: BookState): BookSnapshot {
  return { tradeCount: book.tradeCount, bids: ordersOf(book, 'buy'), asks: ordersOf(book, 'sell') };
}
