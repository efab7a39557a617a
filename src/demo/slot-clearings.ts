/**
 * Knowing when a slot has cleared: the slot-cleared event on the stream, or, when the stream is down
 * or missed it, the slot's result polled from the API. Either way the waiter learns the price and status.
 */
import type { Clock } from '../live/clock.js';
import type { MarketEvent } from '../live/market-events.js';
import type { PlatformApiClient, SlotResult } from './api-client.js';
import { isApiError } from '../http-client/api-error.js';
import type { ClientCredentials } from '../http-client/api-transport.js';
import { pause } from '../http-client/pause.js';

export interface SlotClearing {
  readonly pricePerKwh: number | null;
  readonly status: string;
  /** The result as polled, when the poll found it (the event carries no fills). */
  readonly result?: SlotResult;
}

/** Statuses a result has before its slot is cleared (the API may serve a slot's state before its result). */
const NOT_CLEARED = new Set(['open', 'closed', 'pending']);

export class SlotClearings {
  readonly #cleared = new Map<number, SlotClearing>();
  readonly #waiters = new Set<() => void>();

  constructor(
    private readonly options: {
      readonly api: PlatformApiClient;
      /** Who polls (the operator sees every slot). */
      readonly as: ClientCredentials;
      readonly marketId: string;
      readonly clock: Clock;
      /** Real ms between polls while waiting. */
      readonly pollIntervalMs: number;
    },
  ) {}

  /** Feed every market event here. */
  onEvent(event: MarketEvent): void {
    if (event.type !== 'slot-cleared' || event.marketId !== this.options.marketId) return;
    this.#remember(event.slotStartMs, { pricePerKwh: event.pricePerKwh, status: event.status });
  }

  /**
   * Resolves with the slot's clearing, or null when the clock passes `giveUpAtMs` (or `signal` aborts)
   * first.
   */
  async waitFor(slotStartMs: number, giveUpAtMs: number, signal: AbortSignal): Promise<SlotClearing | null> {
    const { clock } = this.options;
    let nextPollMs = 0;
    while (!signal.aborted) {
      const known = this.#cleared.get(slotStartMs);
      if (known !== undefined) return known;
      if (clock.nowMs() >= giveUpAtMs) return null;
      if (Date.now() >= nextPollMs) {
        nextPollMs = Date.now() + this.options.pollIntervalMs;
        const polled = await this.#poll(slotStartMs, signal);
        if (polled !== null) return polled;
      }
      // Wake on an event, on the give-up time, or for the next poll, whichever comes first.
      const wake = new AbortController();
      const woken = new Promise<void>((resolve) => {
        const waiter = () => {
          this.#waiters.delete(waiter);
          resolve();
        };
        this.#waiters.add(waiter);
        wake.signal.addEventListener('abort', waiter, { once: true });
      });
      const stop = AbortSignal.any([wake.signal, signal]);
      void clock.sleepUntil(giveUpAtMs, stop).then(() => wake.abort());
      void pause(Math.max(1, nextPollMs - Date.now()), stop).then(() => wake.abort());
      await woken;
      wake.abort();
    }
    return null;
  }

  /** Forget slots before this start (they are done with). */
  forgetBefore(slotStartMs: number): void {
    for (const start of this.#cleared.keys()) if (start < slotStartMs) this.#cleared.delete(start);
  }

  async #poll(slotStartMs: number, signal: AbortSignal): Promise<SlotClearing | null> {
    try {
      const result = await this.options.api.slotResult(
        this.options.as,
        this.options.marketId,
        slotStartMs,
        signal,
      );
      if (NOT_CLEARED.has(result.status)) return null;
      const clearing = { pricePerKwh: result.price, status: result.status, result };
      this.#remember(slotStartMs, clearing);
      return clearing;
    } catch (caught) {
      // Not cleared yet (no result), or the API is briefly away: the next poll or the event will tell.
      if (isApiError(caught)) return null;
      throw caught;
    }
  }

  #remember(slotStartMs: number, clearing: SlotClearing): void {
    if (!this.#cleared.has(slotStartMs)) this.#cleared.set(slotStartMs, clearing);
    for (const waiter of [...this.#waiters]) waiter();
  }
}
