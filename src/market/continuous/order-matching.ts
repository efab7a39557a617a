/**
 * The matching loop of the continuous book: an incoming order takes the best resting orders on the
 * other side, level by level and first come first served within a level, while prices cross; every
 * trade is at the resting order's price. Functions over the book's state rather than methods, so the
 * book's public class stays small; they allocate nothing.
 *
 * Self-trade prevention cancels the resting order: when an incoming order would match a resting order
 * of its own participant, that resting order is withdrawn (its participant's newest instruction wins)
 * and matching goes on with the next one. The book therefore never holds a crossed pair.
 */
import type { Side } from '../types.js';
import type { BookEvents } from './book-events.js';
import { NO_ORDER, type OrderStore } from './order-store.js';
import type { BookSide, LevelPool } from './price-levels.js';

/** Grid fee per kWh for a trade from a seller in `sellArea` to a buyer in `buyArea` (≥ 0). */
export type FeeBetweenAreas = (sellArea: number, buyArea: number) => number;

export interface BookState {
  readonly store: OrderStore;
  readonly levels: LevelPool;
  readonly bids: BookSide;
  readonly asks: BookSide;
  readonly tickSize: number;
  /** 1 / tickSize, rounded when it is a whole number: price = ticks / ticksPerUnit. */
  readonly ticksPerUnit: number;
  readonly events: BookEvents | undefined;
  readonly feePerKwh: FeeBetweenAreas | undefined;
  /** Trades so far; the last trade's sequence number. */
  tradeCount: number;
  /** Resting quantity withdrawn by self-trade prevention so far. */
  selfTradeCancelled: number;
}

/** Matches the order in `slot` (not resting) up to `limitTicks`; returns its unfilled quantity. */
export function matchIncoming(book: BookState, slot: number, limitTicks: number): number {
  const remaining =
    book.feePerKwh === undefined
      ? matchAtBest(book, slot, limitTicks)
      : matchWithFees(book, slot, limitTicks, book.feePerKwh);
  book.store.quantity[slot] = remaining;
  return remaining;
}

/** Without fees every order of a level crosses or none does, so matching only ever looks at the top. */
function matchAtBest(book: BookState, slot: number, limitTicks: number): number {
  const { store, levels, ticksPerUnit } = book;
  const incomingBuys = store.side[slot] === 0;
  const opposite = incomingBuys ? book.asks : book.bids;
  // Opposite keys are sign × ticks with the best largest; a level crosses when its key ≥ threshold.
  const threshold = incomingBuys ? -limitTicks : limitTicks;
  const participant = store.participant[slot] as number;
  const incomingId = store.idOf(slot);
  const aggressor: Side = incomingBuys ? 'buy' : 'sell';
  let remaining = store.quantity[slot] as number;
  while (remaining > 0 && opposite.length > 0) {
    const top = opposite.length - 1;
    if ((opposite.keys[top] as number) < threshold) break;
    const level = opposite.levels[top] as number;
    const price = (levels.ticks[level] as number) / ticksPerUnit;
    let order = levels.head[level] as number;
    while (order !== NO_ORDER && remaining > 0) {
      const next = store.next[order] as number;
      if (store.participant[order] === participant) {
        cancelSelfTrade(book, order);
      } else {
        const resting = store.quantity[order] as number;
        const quantity = resting < remaining ? resting : remaining;
        remaining -= quantity;
        trade(book, incomingBuys, incomingId, order, aggressor, price, quantity, 0);
      }
      order = next;
    }
    if (levels.head[level] === NO_ORDER) {
      opposite.removeAt(top);
      levels.release(level);
    }
  }
  return remaining;
}

/**
 * With grid fees a resting order crosses only if the buyer's limit covers price + fee, which depends
 * on the pair of areas: walk the levels in priority order, skip the orders that do not cross for this
 * incoming order, and stop at the first level that would not cross even without a fee. A resting
 * order's price is its own all-in price: a resting seller receives it; a resting buyer pays it
 * including the fee, so the seller receives it less the fee.
 */
function matchWithFees(book: BookState, slot: number, limitTicks: number, feeOf: FeeBetweenAreas): number {
  const { store, levels, ticksPerUnit } = book;
  const incomingBuys = store.side[slot] === 0;
  const opposite = incomingBuys ? book.asks : book.bids;
  const threshold = incomingBuys ? -limitTicks : limitTicks;
  const limitPrice = limitTicks / ticksPerUnit;
  const tolerance = 1e-6 / ticksPerUnit;
  const participant = store.participant[slot] as number;
  const area = store.area[slot] as number;
  const incomingId = store.idOf(slot);
  const aggressor: Side = incomingBuys ? 'buy' : 'sell';
  let remaining = store.quantity[slot] as number;
  for (let index = opposite.length - 1; index >= 0 && remaining > 0; index--) {
    if ((opposite.keys[index] as number) < threshold) break;
    const level = opposite.levels[index] as number;
    const levelPrice = (levels.ticks[level] as number) / ticksPerUnit;
    let order = levels.head[level] as number;
    while (order !== NO_ORDER && remaining > 0) {
      const next = store.next[order] as number;
      const restingArea = store.area[order] as number;
      const fee = incomingBuys ? feeOf(restingArea, area) : feeOf(area, restingArea);
      const price = incomingBuys ? levelPrice : levelPrice - fee;
      const crosses = incomingBuys ? price + fee <= limitPrice + tolerance : price >= limitPrice - tolerance;
      if (crosses) {
        if (store.participant[order] === participant) {
          cancelSelfTrade(book, order);
        } else {
          const resting = store.quantity[order] as number;
          const quantity = resting < remaining ? resting : remaining;
          remaining -= quantity;
          trade(book, incomingBuys, incomingId, order, aggressor, price, quantity, fee);
        }
      }
      order = next;
    }
    // Removing level `index` shifts only the better levels above it, which are already done.
    if (levels.head[level] === NO_ORDER) {
      opposite.removeAt(index);
      levels.release(level);
    }
  }
  return remaining;
}

function trade(
  book: BookState,
  incomingBuys: boolean,
  incomingId: number,
  resting: number,
  aggressor: Side,
  price: number,
  quantity: number,
  fee: number,
): void {
  const store = book.store;
  const restingId = store.idOf(resting);
  const sequence = ++book.tradeCount;
  book.events?.trade(
    sequence,
    incomingBuys ? incomingId : restingId,
    incomingBuys ? restingId : incomingId,
    aggressor,
    price,
    quantity,
    fee,
  );
  // resting − quantity is exactly 0 when the resting order is taken whole.
  const left = (store.quantity[resting] as number) - quantity;
  if (left === 0) {
    unlink(book, resting);
    store.release(resting);
  } else {
    store.quantity[resting] = left;
    const level = store.level[resting] as number;
    book.levels.quantity[level] = (book.levels.quantity[level] as number) - quantity;
  }
}

function cancelSelfTrade(book: BookState, order: number): void {
  const quantity = book.store.quantity[order] as number;
  const orderId = book.store.idOf(order);
  unlink(book, order);
  book.store.release(order);
  book.selfTradeCancelled += quantity;
  book.events?.removed?.(orderId, quantity, 'self-trade');
}

/** Appends the order in `slot` to the back of its price level, creating the level if needed. */
export function rest(book: BookState, slot: number, ticks: number): void {
  const { store, levels } = book;
  const side = store.side[slot] === 0 ? book.bids : book.asks;
  const key = side.sign * ticks;
  const index = side.find(key);
  let level: number;
  if (index >= 0) {
    level = side.levels[index] as number;
  } else {
    level = levels.allocate(ticks);
    side.insertAt(-index - 1, key, level);
  }
  const tail = levels.tail[level] as number;
  store.prev[slot] = tail;
  store.next[slot] = NO_ORDER;
  if (tail === NO_ORDER) levels.head[level] = slot;
  else store.next[tail] = slot;
  levels.tail[level] = slot;
  levels.quantity[level] = (levels.quantity[level] as number) + (store.quantity[slot] as number);
  levels.orders[level] = (levels.orders[level] as number) + 1;
  store.level[slot] = level;
}

/** Takes a resting order out of its level (the level stays, possibly empty); returns the level. */
function unlink(book: BookState, slot: number): number {
  const { store, levels } = book;
  const level = store.level[slot] as number;
  const previous = store.prev[slot] as number;
  const next = store.next[slot] as number;
  if (previous === NO_ORDER) levels.head[level] = next;
  else store.next[previous] = next;
  if (next === NO_ORDER) levels.tail[level] = previous;
  else store.prev[next] = previous;
  const orders = (levels.orders[level] as number) - 1;
  levels.orders[level] = orders;
  // An emptied level's total is reset rather than left with float residue.
  levels.quantity[level] =
    orders === 0 ? 0 : (levels.quantity[level] as number) - (store.quantity[slot] as number);
  store.level[slot] = NO_ORDER;
  return level;
}

/** Takes a resting order out of the book (its slot stays allocated) and drops its level if emptied. */
export function withdraw(book: BookState, slot: number): void {
  const level = unlink(book, slot);
  if ((book.levels.orders[level] as number) > 0) return;
  const side = book.store.side[slot] === 0 ? book.bids : book.asks;
  const index = side.find(side.sign * (book.levels.ticks[level] as number));
  side.removeAt(index);
  book.levels.release(level);
}
