/**
 * Price levels of a continuous book. A level is a FIFO of resting orders at one tick (head and tail
 * of a linked list through the order store) plus its total open quantity. Each side keeps its levels
 * in a sorted array with the best level at the end: matching takes from the end (O(1)) and most new
 * levels appear near the best price, so inserting moves only a few entries. A level is removed as
 * soon as it is empty, so every level on a side holds at least one order.
 */
import { NO_ORDER } from './order-store.js';

export const NO_LEVEL = -1;

/** The pool of levels both sides draw from. */
export class LevelPool {
  ticks = new Float64Array(64);
  head = new Int32Array(64);
  tail = new Int32Array(64);
  quantity = new Float64Array(64);
  orders = new Int32Array(64);
  private used = 0;
  private freeHead = NO_LEVEL;

  allocate(ticks: number): number {
    let level = this.freeHead;
    if (level !== NO_LEVEL) {
      this.freeHead = this.head[level] as number;
    } else {
      if (this.used === this.ticks.length) this.grow();
      level = this.used++;
    }
    this.ticks[level] = ticks;
    this.head[level] = NO_ORDER;
    this.tail[level] = NO_ORDER;
    this.quantity[level] = 0;
    this.orders[level] = 0;
    return level;
  }

  release(level: number): void {
    this.head[level] = this.freeHead;
    this.freeHead = level;
  }

  private grow(): void {
    const size = this.ticks.length * 2;
    const grown = <T extends Float64Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.ticks = grown(this.ticks, new Float64Array(size));
    this.head = grown(this.head, new Int32Array(size));
    this.tail = grown(this.tail, new Int32Array(size));
    this.quantity = grown(this.quantity, new Float64Array(size));
    this.orders = grown(this.orders, new Int32Array(size));
  }
}

/**
 * One side's levels sorted by key, best last. The key is the tick for bids (higher is better) and the
 * negated tick for asks (lower is better), so "better" is always "larger key".
 */
export class BookSide {
  keys = new Float64Array(64);
  levels = new Int32Array(64);
  length = 0;

  constructor(
    /** +1 for bids, -1 for asks: key = sign × ticks. */
    readonly sign: 1 | -1,
  ) {}

  /** Index of the level with this key, or -(insertion point) - 1 when there is none. */
  find(key: number): number {
    const keys = this.keys;
    let high = this.length - 1;
    if (high >= 0 && keys[high] === key) return high;
    let low = 0;
    while (low <= high) {
      const middle = (low + high) >>> 1;
      const at = keys[middle] as number;
      if (at < key) low = middle + 1;
      else if (at > key) high = middle - 1;
      else return middle;
    }
    return -low - 1;
  }

  insertAt(index: number, key: number, level: number): void {
    if (this.length === this.keys.length) this.grow();
    if (index < this.length) {
      this.keys.copyWithin(index + 1, index, this.length);
      this.levels.copyWithin(index + 1, index, this.length);
    }
    this.keys[index] = key;
    this.levels[index] = level;
    this.length++;
  }

  removeAt(index: number): void {
    if (index < this.length - 1) {
      this.keys.copyWithin(index, index + 1, this.length);
      this.levels.copyWithin(index, index + 1, this.length);
    }
    this.length--;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    const levels = new Int32Array(this.levels.length * 2);
    levels.set(this.levels);
    this.keys = keys;
    this.levels = levels;
  }
}
