/**
 * One market slot's orders in columnar form, the input of every clearing mechanism. A row is one step of
 * a participant's bid curve (a single price/quantity order is one row). Columnar because a community
 * submits tens of thousands of rows every five minutes and the fast mechanisms sort index arrays.
 *
 * Quantities are positive on both sides (the side says the direction), in kW averaged over the slot;
 * prices are currency per kWh. A market order is a limit order at the price cap (+cap to buy, −cap to sell).
 */
import type { Side } from '../types.js';

export const BUY = 0;
export const SELL = 1;

export interface OrderTable {
  readonly rows: number;
  /** BUY (0) or SELL (1). */
  readonly side: Uint8Array;
  readonly price: Float64Array;
  readonly quantity: Float64Array;
  /** Index of the participant (into the caller's participant list). */
  readonly participant: Int32Array;
  /** Index of the participant's grid area (leaf of the area tree), -1 when areas are not used. */
  readonly area: Int32Array;
  /** Submission order: larger is later. Time priority and tie rules read it. */
  readonly sequence: Float64Array;
  /** 1 for energy from a renewable source (a P2P preference), else 0. */
  readonly green: Uint8Array;
}

export interface OrderRow {
  readonly side: Side;
  readonly price: number;
  readonly quantity: number;
  readonly participant: number;
  readonly area?: number;
  readonly green?: boolean;
}

/** Builds tables row by row, reusing its buffers between slots. */
export class OrderTableBuilder {
  private capacity = 0;
  private length = 0;
  private side = new Uint8Array(0);
  private price = new Float64Array(0);
  private quantity = new Float64Array(0);
  private participant = new Int32Array(0);
  private area = new Int32Array(0);
  private sequence = new Float64Array(0);
  private green = new Uint8Array(0);

  reset(): void {
    this.length = 0;
  }

  get rows(): number {
    return this.length;
  }

  add(row: OrderRow): number {
    if (this.length === this.capacity) this.grow();
    const i = this.length++;
    this.side[i] = row.side === 'buy' ? BUY : SELL;
    this.price[i] = row.price;
    this.quantity[i] = row.quantity;
    this.participant[i] = row.participant;
    this.area[i] = row.area ?? -1;
    this.sequence[i] = i;
    this.green[i] = row.green === true ? 1 : 0;
    return i;
  }

  /** Views of the rows added since the last reset; valid until the builder is used again. */
  build(): OrderTable {
    const n = this.length;
    return {
      rows: n,
      side: this.side.subarray(0, n),
      price: this.price.subarray(0, n),
      quantity: this.quantity.subarray(0, n),
      participant: this.participant.subarray(0, n),
      area: this.area.subarray(0, n),
      sequence: this.sequence.subarray(0, n),
      green: this.green.subarray(0, n),
    };
  }

  private grow(): void {
    const size = Math.max(1024, this.capacity * 2);
    const copy = <T extends Uint8Array | Float64Array | Int32Array>(old: T, fresh: T): T => {
      fresh.set(old);
      return fresh;
    };
    this.side = copy(this.side, new Uint8Array(size));
    this.price = copy(this.price, new Float64Array(size));
    this.quantity = copy(this.quantity, new Float64Array(size));
    this.participant = copy(this.participant, new Int32Array(size));
    this.area = copy(this.area, new Int32Array(size));
    this.sequence = copy(this.sequence, new Float64Array(size));
    this.green = copy(this.green, new Uint8Array(size));
    this.capacity = size;
  }
}

/** A table from plain rows (tests, small books, the CLI). */
export function orderTableFrom(rows: readonly OrderRow[]): OrderTable {
  const builder = new OrderTableBuilder();
  for (const row of rows) builder.add(row);
  const table = builder.build();
  // Copy out of the builder's buffers so the table outlives it.
  return {
    rows: table.rows,
    side: table.side.slice(),
    price: table.price.slice(),
    quantity: table.quantity.slice(),
    participant: table.participant.slice(),
    area: table.area.slice(),
    sequence: table.sequence.slice(),
    green: table.green.slice(),
  };
}
