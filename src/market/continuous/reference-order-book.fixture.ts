/**
 * A plain continuous order book written for clarity, not speed: resting orders in one array of
 * objects, sorted afresh on every match. The property tests check the fast book against it, and the
 * benchmark measures both. Same rules as continuous-order-book.ts; same float arithmetic, so results
 * compare exactly.
 */
import { err, ok, type Result } from '../../core/result.js';
import type { TeError } from '../../core/errors.js';
import type { Side } from '../types.js';
import type { RemovalReason, TradeEvent } from './book-events.js';
import type { FeeBetweenAreas } from './order-matching.js';
import {
  validateLimitPrice,
  validateOrderRequest,
  validateQuantity,
  type OrderRequest,
  type PriceQuantityChange,
} from './order-validation.js';
import { DEFAULT_TICK_SIZE, priceToTicks, ticksPerUnit } from './price-ticks.js';

interface PlainOrder {
  id: number;
  side: Side;
  ticks: number;
  quantity: number;
  participant: number;
  area: number;
  /** Arrival for time priority; a replace that re-enters gets a new one. */
  time: number;
}

export interface PlainRemoval {
  readonly orderId: number;
  readonly quantity: number;
  readonly reason: RemovalReason;
}

export class ReferenceOrderBook {
  readonly trades: TradeEvent[] = [];
  readonly removals: PlainRemoval[] = [];
  private resting: PlainOrder[] = [];
  private readonly clientOrders = new Map<string, number>();
  private nextId = 0;
  private clock = 0;
  private readonly tickSize: number;

  constructor(
    private readonly priceCap: number,
    private readonly feeOf?: FeeBetweenAreas,
    tickSize = DEFAULT_TICK_SIZE,
  ) {
    this.tickSize = tickSize;
  }

  submit(request: OrderRequest): Result<{ orderId: number; duplicate: boolean }, TeError> {
    const known =
      request.clientOrderId === undefined ? undefined : this.clientOrders.get(request.clientOrderId);
    if (known !== undefined) return ok({ orderId: known, duplicate: true });
    const invalid = validateOrderRequest(request, this.priceCap);
    if (invalid !== undefined) return err(invalid);
    const market = request.type === 'market';
    const price = market
      ? request.side === 'buy'
        ? this.priceCap
        : -this.priceCap
      : (request.price as number);
    const order: PlainOrder = {
      id: this.nextId++,
      side: request.side,
      ticks: priceToTicks(price, request.side, this.tickSize),
      quantity: request.quantity,
      participant: request.participant,
      area: request.area ?? -1,
      time: this.clock++,
    };
    if (request.clientOrderId !== undefined) this.clientOrders.set(request.clientOrderId, order.id);
    this.enter(order, market);
    return ok({ orderId: order.id, duplicate: false });
  }

  cancel(orderId: number): boolean {
    const order = this.resting.find((o) => o.id === orderId);
    if (order === undefined) return false;
    this.resting = this.resting.filter((o) => o !== order);
    this.removals.push({ orderId, quantity: order.quantity, reason: 'cancel' });
    return true;
  }

  replace(orderId: number, change: PriceQuantityChange): Result<'amended' | 'replaced', TeError | 'unknown'> {
    const order = this.resting.find((o) => o.id === orderId);
    if (order === undefined) return err('unknown');
    const invalid =
      validateQuantity(change.quantity, 'order') ?? validateLimitPrice(change.price, this.priceCap, 'order');
    if (invalid !== undefined) return err(invalid);
    const ticks = priceToTicks(change.price, order.side, this.tickSize);
    if (ticks === order.ticks && change.quantity <= order.quantity) {
      const removed = order.quantity - change.quantity;
      if (removed > 0) this.removals.push({ orderId, quantity: removed, reason: 'replace' });
      order.quantity = change.quantity;
      return ok('amended');
    }
    this.resting = this.resting.filter((o) => o !== order);
    this.removals.push({ orderId, quantity: order.quantity, reason: 'replace' });
    this.enter({ ...order, ticks, quantity: change.quantity, time: this.clock++ }, false);
    return ok('replaced');
  }

  /** Highest bid (buy) or lowest ask (sell) price, NaN when that side is empty. */
  best(side: Side): number {
    const ticks = this.resting.filter((o) => o.side === side).map((o) => o.ticks);
    if (ticks.length === 0) return Number.NaN;
    return (side === 'buy' ? Math.max(...ticks) : Math.min(...ticks)) / ticksPerUnit(this.tickSize);
  }

  /** Resting orders by side, best price first, then first come first. */
  snapshot(): { bids: PlainOrder[]; asks: PlainOrder[] } {
    return {
      bids: this.inPriority(this.resting.filter((o) => o.side === 'buy')),
      asks: this.inPriority(this.resting.filter((o) => o.side === 'sell')),
    };
  }

  private inPriority(orders: PlainOrder[]): PlainOrder[] {
    return [...orders].sort((a, b) =>
      a.ticks !== b.ticks ? (a.side === 'buy' ? b.ticks - a.ticks : a.ticks - b.ticks) : a.time - b.time,
    );
  }

  private enter(incoming: PlainOrder, market: boolean): void {
    const buys = incoming.side === 'buy';
    const perUnit = ticksPerUnit(this.tickSize);
    const limitPrice = incoming.ticks / perUnit;
    const tolerance = 1e-6 / perUnit;
    const candidates = this.inPriority(this.resting.filter((o) => o.side !== incoming.side));
    for (const resting of candidates) {
      if (incoming.quantity <= 0) break;
      const levelPrice = resting.ticks / perUnit;
      const fee =
        this.feeOf === undefined
          ? 0
          : buys
            ? this.feeOf(resting.area, incoming.area)
            : this.feeOf(incoming.area, resting.area);
      const price = buys ? levelPrice : levelPrice - fee;
      const crosses = buys ? price + fee <= limitPrice + tolerance : price >= limitPrice - tolerance;
      const crossesWithoutFee = buys ? resting.ticks <= incoming.ticks : resting.ticks >= incoming.ticks;
      if (!crossesWithoutFee || !crosses) continue;
      if (resting.participant === incoming.participant) {
        this.resting = this.resting.filter((o) => o !== resting);
        this.removals.push({ orderId: resting.id, quantity: resting.quantity, reason: 'self-trade' });
        continue;
      }
      const quantity = Math.min(resting.quantity, incoming.quantity);
      incoming.quantity -= quantity;
      resting.quantity -= quantity;
      this.trades.push({
        sequence: this.trades.length + 1,
        buyOrderId: buys ? incoming.id : resting.id,
        sellOrderId: buys ? resting.id : incoming.id,
        aggressor: incoming.side,
        price,
        quantity,
        feePerKwh: fee,
      });
      if (resting.quantity === 0) this.resting = this.resting.filter((o) => o !== resting);
    }
    if (incoming.quantity <= 0) return;
    if (market)
      this.removals.push({ orderId: incoming.id, quantity: incoming.quantity, reason: 'market-remainder' });
    else this.resting.push(incoming);
  }
}
