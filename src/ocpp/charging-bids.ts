/**
 * EV charging needs become buy orders. Whenever a slot opens in the bidding market (and at once when a
 * station sends a need), every stored need is bid into each open slot before its departure, for the
 * station's participant, through the store's order submission: the same idempotent write, gate check
 * (the slot must still be open inside the write) and audit trail as `POST /api/orders`, under the client
 * order id `ocpp-evse-{evseId}`. An order already there is replaced; a need that wants nothing more in a
 * slot (energy delivered, or the slot after departure) replaces its order with zero quantity. The price
 * and quantity come from tenet's EV agent (need-bid.ts); a slot's bid assumes the earlier open slots'
 * bids are filled, and the next slot opening re-bids with what the station has metered by then.
 *
 * Work runs one job at a time off the bus listener: the market operator is never blocked and never sees
 * an error (they go to `onError`; refusals, e.g. a gate that closed meanwhile, are counted).
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import type { MarketEventBus } from '../live/market-events.js';
import type { MarketRules } from '../live/market-rules.js';
import { getMarket, listMarkets } from '../store/market-repository.js';
import { replaceOrder, submitOrder, type OrderInput, type OrderWrite } from '../store/order-repository.js';
import type { StoreSchema } from '../store/schema.js';
import { chargingOrderId, readChargingFills, unmeteredWh } from './charging-fills.js';
import { listChargingNeeds } from './charging-need-repository.js';
import { plannedDepartureMs, remainingEnergyWh, type ChargingNeed } from './charging-needs.js';
import { bidForNeed, needSignal } from './need-bid.js';
import { getStation, listStations } from './station-repository.js';
import { SerialWork } from '../core/serial-work.js';

export interface ChargingBidsOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  /** The CSMS's need announcements (`Csms.onChargingNeed`). */
  readonly onChargingNeed: (listener: (stationId: string, evseId: number) => void) => () => void;
  /** The market needs are bid in (default: the first market by id). */
  readonly marketId?: string;
  readonly onError: (error: unknown) => void;
}

export interface ChargingBidCounts {
  /** Orders accepted or replaced. */
  readonly written: number;
  /** Orders refused by the store (gate closed meanwhile, unknown participant, ...). */
  readonly refused: number;
}

export interface ChargingBids {
  counts(): ChargingBidCounts;
  /** Bids every stored need now (as a slot opening does) and resolves when done. */
  rebid(): Promise<void>;
  /** Resolves when every job queued so far is done. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

export function startChargingBids(options: ChargingBidsOptions): ChargingBids {
  const { db, clock, onError } = options;
  let written = 0;
  let refused = 0;
  let closed = false;
  const work = new SerialWork(onError);
  let fullRunQueued = false;

  const marketOf = async () => {
    const id = options.marketId ?? (await listMarkets<MarketRules>(db)).map((m) => m.id).sort()[0];
    const market = id === undefined ? undefined : await getMarket<MarketRules>(db, id);
    return market?.rules === null || market === undefined
      ? undefined
      : { id: market.id, rules: market.rules };
  };

  const bidNeeds = async (stationId?: string) => {
    const market = await marketOf();
    if (market === undefined) return;
    const nowMs = clock.nowMs();
    const slots = await db
      .selectFrom('slots')
      .select(['start_ms', 'end_ms'])
      .where('market_id', '=', market.id)
      .where('status', '=', 'open')
      .where('gate_closure_ms', '>', nowMs)
      .orderBy('start_ms')
      .execute();
    if (slots.length === 0) return;
    const slotMs = market.rules.slotDurationMs;
    // Slots cleared within the last day that have not ended long ago: what may not be metered yet.
    const fills = await readChargingFills(db, market.id, nowMs - 86_400_000);
    // A pass over every need reads the stations once; a station's own pass reads just that one.
    const stations =
      stationId === undefined
        ? new Map((await listStations(db)).map((station) => [station.stationId, station]))
        : undefined;
    for (const need of await listChargingNeeds(db, stationId)) {
      if (closed) return;
      const station = stations?.get(need.stationId) ?? (await getStation(db, need.stationId));
      if (station === undefined) continue;
      const bought = fills.bought.get(station.participantId)?.get(need.evseId);
      const meteredUntilMs = Math.max(station.registerMs ?? need.receivedMs, need.receivedMs);
      const orders = ordersForNeed(
        need,
        station.registerWh,
        market.rules,
        slots,
        market.id,
        station.participantId,
        unmeteredWh(bought, slotMs, meteredUntilMs),
      );
      for (const order of orders) await place(order, need.stationId);
    }
  };

  const place = async (input: OrderInput, stationId: string) => {
    const nowMs = clock.nowMs();
    const audit = {
      audit: ({ order, outcome }: OrderWrite) => ({
        timeMs: nowMs,
        actor: `ocpp-station:${stationId}`,
        action: outcome === 'replaced' ? 'order-replaced' : 'order-submitted',
        target: `order:${order.marketId}/${order.slotStartMs}/${order.participantId}/${order.clientOrderId}`,
        details: { outcome, revision: order.revision, side: order.side, steps: order.steps, stationId },
      }),
    };
    const withdraw = input.steps.every((step) => step.quantity === 0);
    // Nothing wanted in the slot: only an order already there is changed (to zero), none is created.
    let result = withdraw
      ? await replaceOrder(db, input, nowMs, audit)
      : await submitOrder(db, input, nowMs, audit);
    if (!result.ok && result.error.code === 'TE_ERR_DUPLICATE_ORDER')
      result = await replaceOrder(db, input, nowMs, audit);
    if (!result.ok && withdraw && result.error.code === 'TE_ERR_UNKNOWN_ORDER') return;
    if (!result.ok) {
      refused += 1;
      return;
    }
    const { order, outcome } = result.value;
    if (outcome !== 'accepted' && outcome !== 'replaced') return;
    written += 1;
    options.events.publish(
      {
        type: 'order-accepted',
        marketId: order.marketId,
        slotStartMs: order.slotStartMs,
        participantId: order.participantId,
        clientOrderId: order.clientOrderId,
        outcome,
      },
      clock.nowMs(),
    );
  };

  const unsubscribeBus = options.events.subscribe((event) => {
    if (closed || event.type !== 'slot-opened') return;
    if (options.marketId !== undefined && event.marketId !== options.marketId) return;
    // The operator opens a horizon of slots in one tick: one pass over the needs covers them all.
    if (fullRunQueued) return;
    fullRunQueued = true;
    work.enqueue(async () => {
      fullRunQueued = false;
      await bidNeeds();
    });
  });
  // A station that sends need after need gets one pass for all of them, not a queue that grows.
  const stationsQueued = new Set<string>();
  const unsubscribeNeeds = options.onChargingNeed((stationId) => {
    if (closed || stationsQueued.has(stationId)) return;
    stationsQueued.add(stationId);
    work.enqueue(async () => {
      stationsQueued.delete(stationId);
      await bidNeeds(stationId);
    });
  });

  return {
    counts: () => ({ written, refused }),
    rebid() {
      work.enqueue(() => bidNeeds());
      return this.idle();
    },
    idle: () => work.idle(),
    async close() {
      closed = true;
      unsubscribeBus();
      unsubscribeNeeds();
      await this.idle();
    },
  };
}

/**
 * The orders of one need, one per open slot (oldest first). Prices are kept to micro-units and powers
 * to watts, so an unchanged need re-bid gives the same order and the store acknowledges it unchanged.
 */
export function ordersForNeed(
  need: ChargingNeed,
  registerWh: number | undefined,
  rules: MarketRules,
  slots: readonly { readonly start_ms: number; readonly end_ms: number }[],
  marketId: string,
  participantId: string,
  /** Energy bought in cleared slots that the register does not show yet. */
  boughtNotMeteredWh = 0,
): OrderInput[] {
  const departureMs = plannedDepartureMs(need);
  let remainingWh = Math.max(0, remainingEnergyWh(need, registerWh) - boughtNotMeteredWh);
  return slots.map((slot) => {
    const bid = bidForNeed(
      { remainingWh, departureMs, maxPowerW: need.maxPowerW },
      { startMs: slot.start_ms, endMs: slot.end_ms },
      needSignal(rules, slot.start_ms, departureMs),
    );
    // An EV cannot charge slower than its minimum: the last bit is bought at the minimum rather than at a
    // rate it could not use (it stops when full; the difference settles as a deviation).
    const wantedKw = bid === undefined ? 0 : Math.max(bid.powerKw, need.minPowerW / 1000);
    const powerKw = Math.round(wantedKw * 1000) / 1000;
    const price = bid === undefined ? 0 : Math.round(bid.pricePerKwh * 1e6) / 1e6;
    remainingWh = Math.max(0, remainingWh - (powerKw * 1000 * (slot.end_ms - slot.start_ms)) / 3_600_000);
    return {
      marketId,
      slotStartMs: slot.start_ms,
      participantId,
      clientOrderId: chargingOrderId(need.evseId),
      side: 'buy' as const,
      steps: [{ price, quantity: powerKw }],
    };
  });
}
