/**
 * The market operator: runs every market in the store on the clock. Each tick, while it holds the leader
 * lease, it
 *  1. opens the slots from the current one up to the rules' horizon (slot-opened),
 *  2. clears every slot whose gate has closed and that is not cleared yet, missed ones included
 *     (slot-closed, slot-cleared; slot-clearing.ts),
 *  3. settles every cleared slot once its settlement delay has passed (slot-settled; slot-settling.ts).
 * Every step is safe to run again after a crash at any point, and by a second operator: the store decides
 * (docs/live-operation.md). A failing step is logged and retried on a later tick; a tick never throws.
 */
import type { Kysely } from 'kysely';
import type { Sha256 } from '../ledger/journal-entry.js';
import { storeClearingResult } from '../store/clearing-result-repository.js';
import { getClearingResult } from '../store/clearing-result-repository.js';
import { listMarkets, type MarketWithRules } from '../store/market-repository.js';
import { listSlotOrders } from '../store/order-repository.js';
import { closeSlot } from '../store/registry-repository.js';
import type { StoreSchema } from '../store/schema.js';
import {
  openMissingSlots,
  slotsDueForClearing,
  slotsDueForSettlement,
  type LifecycleSlot,
} from '../store/slot-lifecycle-repository.js';
import type { StoredFills } from './clearing-fills.js';
import { sleepReal, type Clock } from './clock.js';
import type { LeaderLease } from './leader-lease.js';
import type { MarketEventBus } from './market-events.js';
import type { MarketRules } from './market-rules.js';
import { clearSlotOrders } from './slot-clearing.js';
import { settleStoredSlot } from './slot-settling.js';

export interface MarketOperatorOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  readonly lease: LeaderLease;
  readonly sha256: Sha256;
  readonly log?: (line: string) => void;
  /**
   * Longest sleep between ticks in real milliseconds (default 1,000), whatever the clock's speed: bounds how
   * late a standby takes over and how soon a new market or changed rules are noticed, without an
   * accelerated clock turning the loop into hundreds of ticks a second.
   */
  readonly pollMs?: number;
}

export interface TickReport {
  /** Whether this operator held the lease; a standby's tick does nothing else. */
  readonly leader: boolean;
  readonly opened: number;
  readonly cleared: number;
  readonly settled: number;
  /** Steps that failed and will be retried (each was logged). */
  readonly failures: number;
  /**
   * When something next falls due on the clock (a slot boundary, a gate closure, a settlement), clock ms;
   * null for a standby, after a failure (retry after `pollMs`) or without markets.
   */
  readonly nextDueMs: number | null;
}

export const DEFAULT_POLL_MS = 1_000;

interface Counts {
  opened: number;
  cleared: number;
  settled: number;
  failures: number;
}

export class MarketOperator {
  readonly #db: Kysely<StoreSchema>;
  readonly #clock: Clock;
  readonly #events: MarketEventBus;
  readonly #lease: LeaderLease;
  readonly #sha256: Sha256;
  readonly #log: (line: string) => void;
  readonly #pollMs: number;
  #wasLeader = false;

  constructor(options: MarketOperatorOptions) {
    this.#db = options.db;
    this.#clock = options.clock;
    this.#events = options.events;
    this.#lease = options.lease;
    this.#sha256 = options.sha256;
    this.#log = options.log ?? (() => {});
    this.#pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  }

  /** One pass over every market. Never rejects: failures are logged, counted and retried next tick. */
  async tick(): Promise<TickReport> {
    const nowMs = this.#clock.nowMs();
    const counts: Counts = { opened: 0, cleared: 0, settled: 0, failures: 0 };
    const leader = await this.#lease.tryAcquire().catch(() => false);
    if (leader !== this.#wasLeader) {
      this.#log(
        leader
          ? 'market operator: leading (lease acquired)'
          : 'market operator: standing by (leader lease lost)',
      );
      this.#wasLeader = leader;
    }
    if (!leader) return { leader, ...counts, nextDueMs: null };
    let nextDueMs = Number.POSITIVE_INFINITY;
    try {
      const markets = await listMarkets<MarketRules>(this.#db);
      for (const market of markets) {
        const rules = market.rules;
        if (rules === null) continue;
        if (!this.#lease.isHeld()) break;
        nextDueMs = Math.min(nextDueMs, nextDue(rules, nowMs));
        await this.#runMarket({ ...market, rules }, nowMs, counts);
      }
    } catch (error) {
      counts.failures += 1;
      this.#log(`market operator: tick failed, retrying: ${errorText(error)}`);
    }
    const scheduled = counts.failures === 0 && Number.isFinite(nextDueMs);
    return { leader: this.#lease.isHeld(), ...counts, nextDueMs: scheduled ? nextDueMs : null };
  }

  /**
   * Ticks until `signal` aborts, sleeping until the next thing falls due on the clock or `pollMs` of real
   * time has passed, whichever comes first. On abort the tick in progress finishes (a slot half-way
   * through clearing or settlement completes) before this resolves; the caller then releases the lease.
   */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      const report = await this.tick();
      if (signal.aborted) break;
      const wake = new AbortController();
      const stop = () => wake.abort();
      signal.addEventListener('abort', stop, { once: true });
      const sleeps = [sleepReal(this.#pollMs, wake.signal)];
      if (report.nextDueMs !== null) sleeps.push(this.#clock.sleepUntil(report.nextDueMs, wake.signal));
      await Promise.race(sleeps);
      // Cancel the sleep that lost, so no timer or clock sleeper outlives this turn.
      signal.removeEventListener('abort', stop);
      wake.abort();
    }
  }

  async #runMarket(
    market: MarketWithRules<MarketRules> & { readonly rules: MarketRules },
    nowMs: number,
    counts: Counts,
  ): Promise<void> {
    await this.#step(counts, `market ${market.id}: opening slots`, () =>
      this.#openSlots(market, nowMs, counts),
    );
    for (const slot of await slotsDueForClearing(this.#db, market.id, nowMs)) {
      if (!this.#lease.isHeld()) return;
      await this.#step(counts, `market ${market.id}: clearing slot ${iso(slot.startMs)}`, () =>
        this.#clear(market.rules, slot, counts),
      );
    }
    const settleBy = nowMs - market.rules.settlementDelayMs;
    for (const slot of await slotsDueForSettlement(this.#db, market.id, settleBy)) {
      if (!this.#lease.isHeld()) return;
      await this.#step(counts, `market ${market.id}: settling slot ${iso(slot.startMs)}`, () =>
        this.#settle(market.rules, slot, counts),
      );
    }
  }

  async #step(counts: Counts, what: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (error) {
      counts.failures += 1;
      this.#log(`${what} failed, retrying next tick: ${errorText(error)}`);
    }
  }

  async #openSlots(
    market: { readonly id: string; readonly rules: MarketRules },
    nowMs: number,
    counts: Counts,
  ) {
    const { slotDurationMs, gateClosureLeadMs, orderHorizonSlots } = market.rules;
    const currentStartMs = Math.floor(nowMs / slotDurationMs) * slotDurationMs;
    const wanted = Array.from({ length: orderHorizonSlots + 1 }, (_, k) => {
      const startMs = currentStartMs + k * slotDurationMs;
      return { startMs, endMs: startMs + slotDurationMs, gateClosureMs: startMs - gateClosureLeadMs };
    });
    const opened = new Set(await openMissingSlots(this.#db, market.id, wanted));
    for (const slot of wanted) {
      if (!opened.has(slot.startMs)) continue;
      counts.opened += 1;
      this.#events.publish(
        {
          type: 'slot-opened',
          marketId: market.id,
          slotStartMs: slot.startMs,
          slotEndMs: slot.endMs,
          gateClosureMs: slot.gateClosureMs,
        },
        this.#clock.nowMs(),
      );
    }
  }

  async #clear(rules: MarketRules, slot: LifecycleSlot, counts: Counts): Promise<void> {
    const { marketId, startMs } = slot;
    await closeSlot(this.#db, marketId, startMs);
    const orders = await listSlotOrders(this.#db, marketId, startMs);
    if (slot.status === 'open') {
      this.#events.publish(
        { type: 'slot-closed', marketId, slotStartMs: startMs, orderCount: orders.length },
        this.#clock.nowMs(),
      );
    }
    const clearedAtMs = this.#clock.nowMs();
    const clearing = clearSlotOrders(marketId, slot, rules, orders, clearedAtMs);
    if (!clearing.ok) throw clearing.error;
    for (const { order, error } of clearing.value.excluded) {
      this.#log(
        `market ${marketId}: slot ${iso(startMs)}: order ${order.participantId}/${order.clientOrderId} left out: ${error.message}`,
      );
    }
    const stored = await storeClearingResult(this.#db, clearing.value.record);
    if (!stored.ok) {
      if (stored.error.code === 'TE_ERR_SLOT_ALREADY_CLEARED') {
        this.#log(`market ${marketId}: slot ${iso(startMs)} was cleared by another operator`);
        return;
      }
      throw stored.error;
    }
    if (stored.value.outcome !== 'stored') return;
    counts.cleared += 1;
    const { record } = clearing.value;
    this.#log(
      `market ${marketId}: slot ${iso(startMs)} cleared (${record.mechanism}, ${record.status}): price ${record.price.toFixed(4)}/kWh, ${record.tradedEnergyWh} Wh, ${clearing.value.orderCount} orders`,
    );
    this.#events.publish(
      {
        type: 'slot-cleared',
        marketId,
        slotStartMs: startMs,
        mechanism: record.mechanism,
        pricePerKwh: clearing.value.clearingPricePerKwh,
        status: record.status,
        tradedEnergyWh: record.tradedEnergyWh,
      },
      clearedAtMs,
    );
  }

  async #settle(rules: MarketRules, slot: LifecycleSlot, counts: Counts): Promise<void> {
    const { marketId, startMs } = slot;
    const result = await getClearingResult(this.#db, marketId, startMs);
    if (result === undefined)
      throw new Error(`slot ${startMs} of '${marketId}' is cleared but has no result`);
    const settledAtMs = this.#clock.nowMs();
    const settled = await settleStoredSlot(
      this.#db,
      this.#sha256,
      slot,
      rules,
      { price: result.price, status: result.status, fills: result.fills as StoredFills },
      settledAtMs,
    );
    if (!settled.ok) throw settled.error;
    const outcome = settled.value;
    if (outcome.outcome === 'already-settled') return;
    if (outcome.outcome === 'conflict') throw new Error(outcome.reason);
    counts.settled += 1;
    this.#log(`market ${marketId}: slot ${iso(startMs)} settled: ${outcome.entries.length} ledger entries`);
    this.#events.publish(
      {
        type: 'slot-settled',
        marketId,
        slotStartMs: startMs,
        entryCount: outcome.entries.length,
        lastHash: outcome.lastHash,
      },
      settledAtMs,
    );
  }
}

/** The first time after `nowMs` at which one of the market's slot boundaries, gate closures or settlements falls. */
export function nextDue(rules: MarketRules, nowMs: number): number {
  const period = rules.slotDurationMs;
  const offsets = [0, -rules.gateClosureLeadMs, rules.settlementDelayMs];
  let next = Number.POSITIVE_INFINITY;
  for (const offset of offsets) {
    const phase = ((offset % period) + period) % period;
    const candidate = Math.floor((nowMs - phase) / period) * period + phase + period;
    next = Math.min(next, candidate);
  }
  return next;
}

function iso(timeMs: number): string {
  return new Date(timeMs).toISOString();
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
