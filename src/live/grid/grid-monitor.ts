/**
 * The live platform's grid monitor: after each slot of its market is settled (the operator publishes
 * `slot-settled` once the slot's meter readings are in), it reads the connections' premises meter readings
 * for the slot, as settlement does, solves the feeder and stores the state, then publishes `grid-solved`.
 *
 * It stays off the clearing path: the event listener only notes the slot, and the work runs on a later
 * turn of the event loop. At most one solve runs at a time; slots that settle meanwhile are not queued:
 * the next solve takes the newest of them (a state per slot is a view, not a record the ledger needs).
 * Only the clearing leader solves; a standby reads the leader's states from the store. When this instance
 * starts leading (after a restart or a takeover), the first event of its operator has it solve the latest
 * settled slot if that has no state yet, so the view does not wait a period for the next settlement.
 */
import type { Kysely } from 'kysely';
import { getSlot } from '../../store/registry-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { sumSlotReadings } from '../../store/slot-lifecycle-repository.js';
import type { FeederFlow } from '../../sim/feeder/feeder-flow.js';
import { sleepReal, type Clock } from '../clock.js';
import type { MarketEventBus } from '../market-events.js';
import type { GridFeeder } from './grid-feeder.js';
import { solveGridState } from './grid-solve.js';
import { summaryOf, type GridState } from './grid-state.js';
import {
  GRID_STATE_RETENTION_MS,
  latestSettledSlotWithoutState,
  pruneGridStates,
  saveGridState,
} from './grid-state-repository.js';

export interface GridMonitorOptions {
  readonly feeder: GridFeeder;
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  /** Whether this instance leads clearing (the market operator's lease). */
  readonly isLeader: () => boolean;
  readonly log?: (line: string) => void;
  /** Real time for the solve-duration figure (default performance.now). */
  readonly elapsedMs?: () => number;
  /**
   * Least real time from the start of one solve to the start of the next (default 1,000 ms): on an
   * accelerated clock (the demo at 1,500x settles a slot every 200 ms) the monitor takes the newest slot
   * once a second instead of solving every one, so it never holds more than a small share of the CPU.
   */
  readonly minSolveIntervalMs?: number;
  /** Runs after each stored solve (the envelope publisher); a failure is logged, never thrown. */
  readonly afterSolve?: (state: GridState) => Promise<void>;
}

export const DEFAULT_MIN_SOLVE_INTERVAL_MS = 1_000;

const MS_PER_HOUR = 3_600_000;

export class GridMonitor {
  readonly #options: GridMonitorOptions;
  readonly #log: (line: string) => void;
  #flow: FeederFlow;
  /** The newest settled slot not solved yet. */
  #pendingSlotMs: number | null = null;
  #running: Promise<void> | null = null;
  #unsubscribe: (() => void) | null = null;
  #stopped = false;
  readonly #stopping = new AbortController();
  /** performance.now() when the last solve began. */
  #lastSolveStartedMs = Number.NEGATIVE_INFINITY;
  /** Whether this instance has looked for an unsolved settled slot since it started leading. */
  #caughtUp = false;
  /** Slots skipped because a newer one settled before their turn. */
  skipped = 0;

  constructor(options: GridMonitorOptions) {
    this.#options = options;
    this.#log = options.log ?? (() => {});
    this.#flow = options.feeder.createFlow();
  }

  get marketId(): string {
    return this.#options.feeder.marketId;
  }

  /** Listens for settled slots of the feeder's market. */
  start(): void {
    if (this.#unsubscribe !== null || this.#stopped) return;
    this.#unsubscribe = this.#options.events.subscribe((event) => {
      if (!('marketId' in event) || event.marketId !== this.marketId) return;
      if (event.type === 'slot-settled') {
        this.#caughtUp = true;
        this.request(event.slotStartMs);
      } else if (!this.#caughtUp && this.#options.isLeader()) {
        this.#caughtUp = true;
        void this.#catchUp();
      }
    });
  }

  /** Asks for a slot to be solved soon (the newest requested wins when a solve is running). */
  request(slotStartMs: number): void {
    if (this.#stopped) return;
    if (this.#pendingSlotMs !== null && this.#pendingSlotMs !== slotStartMs) this.skipped++;
    if (this.#pendingSlotMs === null || slotStartMs > this.#pendingSlotMs) this.#pendingSlotMs = slotStartMs;
    this.#running ??= this.#drain();
  }

  /** Resolves once nothing is pending or running (tests; stop). */
  async idle(): Promise<void> {
    while (this.#running !== null) await this.#running;
  }

  /** Stops listening and waits for the solve in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopping.abort();
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#pendingSlotMs = null;
    await this.idle();
  }

  async #catchUp(): Promise<void> {
    try {
      const slotStartMs = await latestSettledSlotWithoutState(this.#options.db, this.marketId);
      if (slotStartMs !== undefined && this.#pendingSlotMs === null) this.request(slotStartMs);
    } catch (error) {
      this.#log(
        `grid monitor: looking for an unsolved slot failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }

  async #drain(): Promise<void> {
    // A later turn: the operator that published the event carries on first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      const intervalMs = this.#options.minSolveIntervalMs ?? DEFAULT_MIN_SOLVE_INTERVAL_MS;
      while (this.#pendingSlotMs !== null && !this.#stopped) {
        const waitMs = this.#lastSolveStartedMs + intervalMs - performance.now();
        if (waitMs > 0) {
          // Slots that settle meanwhile replace the pending one: the newest is solved after the wait.
          await sleepReal(waitMs, this.#stopping.signal);
          continue;
        }
        const slotStartMs = this.#pendingSlotMs;
        this.#pendingSlotMs = null;
        if (!this.#options.isLeader()) continue;
        this.#lastSolveStartedMs = performance.now();
        try {
          await this.solveSlot(slotStartMs);
        } catch (error) {
          this.#log(
            `grid monitor: slot ${new Date(slotStartMs).toISOString()} not solved: ${error instanceof Error ? error.message : String(error)}`,
          );
        }
      }
    } finally {
      this.#running = null;
    }
  }

  /**
   * Solves one slot from its stored readings, stores the state and publishes `grid-solved`. A power flow
   * that does not converge is stored as such; a store failure rejects (the caller logs it).
   */
  async solveSlot(slotStartMs: number): Promise<GridState> {
    const { feeder, db, clock, events } = this.#options;
    const slot = await getSlot(db, feeder.marketId, slotStartMs);
    const slotEndMs = slot?.endMs ?? slotStartMs;
    const meterIds = feeder.connections.map((c) => c.participantId);
    const meteredWh = await sumSlotReadings(db, meterIds, slotStartMs, slotEndMs);
    const hours = (slotEndMs - slotStartMs) / MS_PER_HOUR;
    const loadKw = new Float64Array(meterIds.length);
    let withoutReadings = 0;
    meterIds.forEach((id, k) => {
      const wh = meteredWh.get(id);
      if (wh === undefined || hours <= 0) withoutReadings++;
      else loadKw[k] = wh / 1000 / hours;
    });
    const elapsedMs = this.#options.elapsedMs ?? (() => performance.now());
    const state = solveGridState(
      feeder,
      this.#flow,
      { marketId: feeder.marketId, slotStartMs, loadKw, connectionsWithoutReadings: withoutReadings },
      () => clock.nowMs(),
      elapsedMs,
    );
    // A failed solve leaves the solver's warm start and taps where it diverged: start the next afresh.
    if (!state.converged) {
      this.#flow = feeder.createFlow();
      this.#log(
        `grid monitor: slot ${new Date(slotStartMs).toISOString()}: ${state.reason ?? 'not converged'}`,
      );
    }
    await saveGridState(db, state);
    await pruneGridStates(db, feeder.marketId, clock.nowMs() - GRID_STATE_RETENTION_MS);
    const summary = summaryOf(state);
    events.publish(
      {
        type: 'grid-solved',
        marketId: feeder.marketId,
        slotStartMs,
        converged: state.converged,
        substationKw: summary.substationKw,
        vMinPu: summary.vMinPu,
        vMaxPu: summary.vMaxPu,
        violationCount: summary.violationCount,
      },
      state.solvedMs,
    );
    if (this.#options.afterSolve !== undefined) {
      await this.#options.afterSolve(state).catch((error: unknown) => {
        this.#log(
          `grid monitor: after the solve of ${new Date(slotStartMs).toISOString()}: ${String(error)}`,
        );
      });
    }
    return state;
  }
}
