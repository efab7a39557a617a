/**
 * The resting orders of a continuous book as parallel typed arrays (struct of arrays), one slot per
 * order, with a free list so slots are reused and the hot path allocates no objects. Within a price
 * level the orders form a doubly linked FIFO through `next`/`prev`, so a cancel is O(1).
 *
 * Order ids encode the slot and the slot's generation (`generation * SLOT_SPACE + slot`): finding an
 * order by id is arithmetic, not a hash lookup, and a stale id (its slot reused since) is recognised
 * as unknown. Ids are opaque to callers; a fresh book hands out 0, 1, 2, ... until slots are reused.
 */
import type { Side } from '../types.js';

/** Most order slots one book holds at once (67 million): the id's low part. */
export const SLOT_SPACE = 2 ** 26;

export const NO_ORDER = -1;

export class OrderStore {
  capacity: number;
  /** Open (unfilled) quantity, kW. */
  quantity: Float64Array;
  participant: Int32Array;
  area: Int32Array;
  /** 0 buy, 1 sell. */
  side: Uint8Array;
  /** Price level the order rests in, NO_ORDER while it is not resting. */
  level: Int32Array;
  next: Int32Array;
  prev: Int32Array;
  generation: Float64Array;
  /** Slots in use: between calls to the book, the number of resting orders. */
  allocated = 0;
  private used = 0;
  private freeHead = NO_ORDER;

  constructor(initialCapacity: number) {
    this.capacity = Math.max(16, initialCapacity);
    this.quantity = new Float64Array(this.capacity);
    this.participant = new Int32Array(this.capacity);
    this.area = new Int32Array(this.capacity);
    this.side = new Uint8Array(this.capacity);
    this.level = new Int32Array(this.capacity).fill(NO_ORDER);
    this.next = new Int32Array(this.capacity);
    this.prev = new Int32Array(this.capacity);
    this.generation = new Float64Array(this.capacity);
  }

  /** A slot for a new order, not yet resting anywhere. */
  allocate(side: Side, quantity: number, participant: number, area: number): number {
    let slot = this.freeHead;
    if (slot !== NO_ORDER) {
      this.freeHead = this.next[slot] as number;
    } else {
      if (this.used === this.capacity) this.grow();
      slot = this.used++;
    }
    this.allocated++;
    this.side[slot] = side === 'buy' ? 0 : 1;
    this.quantity[slot] = quantity;
    this.participant[slot] = participant;
    this.area[slot] = area;
    this.level[slot] = NO_ORDER;
    this.next[slot] = NO_ORDER;
    this.prev[slot] = NO_ORDER;
    return slot;
  }

  /** Frees the slot; its id becomes unknown because the generation moves on. */
  release(slot: number): void {
    this.allocated--;
    this.generation[slot] = (this.generation[slot] as number) + 1;
    this.level[slot] = NO_ORDER;
    this.quantity[slot] = 0;
    this.next[slot] = this.freeHead;
    this.freeHead = slot;
  }

  idOf(slot: number): number {
    return (this.generation[slot] as number) * SLOT_SPACE + slot;
  }

  /** The slot of a resting order, or NO_ORDER when the id is unknown, filled, cancelled or malformed. */
  restingSlotOf(orderId: number): number {
    if (!Number.isSafeInteger(orderId) || orderId < 0) return NO_ORDER;
    const slot = orderId % SLOT_SPACE;
    if (slot >= this.used || this.idOf(slot) !== orderId) return NO_ORDER;
    return (this.level[slot] as number) === NO_ORDER ? NO_ORDER : slot;
  }

  private grow(): void {
    const size = this.capacity * 2;
    if (size > SLOT_SPACE) throw new RangeError(`a continuous book holds at most ${SLOT_SPACE} orders`);
    const grown = <T extends Float64Array | Int32Array | Uint8Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.quantity = grown(this.quantity, new Float64Array(size));
    this.participant = grown(this.participant, new Int32Array(size));
    this.area = grown(this.area, new Int32Array(size));
    this.side = grown(this.side, new Uint8Array(size));
    this.level = grown(this.level, new Int32Array(size).fill(NO_ORDER));
    this.next = grown(this.next, new Int32Array(size));
    this.prev = grown(this.prev, new Int32Array(size));
    this.generation = grown(this.generation, new Float64Array(size));
    this.capacity = size;
  }
}
