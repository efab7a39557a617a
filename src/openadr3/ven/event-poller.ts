/**
 * Event polling for a VEN without a notifier: every `intervalMs` it reads all matching events (every
 * page) and reports the new ones, the changed ones (by modificationDateTime) and the ids that no longer
 * match (deleted, ended when `active` is asked, or no longer targeted at this VEN).
 */
import { pause } from '../../http-client/pause.js';
import type { VenClient } from './ven-client.js';
import type { EventSearch, OpenAdrEvent } from './ven-types.js';

export type EventChange = 'new' | 'changed';

export interface EventPollerOptions {
  readonly client: VenClient;
  readonly query?: Omit<EventSearch, 'skip' | 'limit'>;
  readonly intervalMs: number;
  readonly onEvent: (event: OpenAdrEvent, change: EventChange) => void;
  readonly onGone?: (eventID: string) => void;
  /** A failed poll (after the client's own retries); polling goes on. */
  readonly onError?: (error: unknown) => void;
}

export interface PollOutcome {
  readonly new: number;
  readonly changed: number;
  readonly gone: number;
}

export class EventPoller {
  readonly #options: EventPollerOptions;
  /** modificationDateTime by event id, of what the last poll saw. */
  #seen = new Map<string, string>();
  #polls = 0;

  constructor(options: EventPollerOptions) {
    if (!(options.intervalMs > 0))
      throw new RangeError(`intervalMs must be positive, got ${options.intervalMs}`);
    this.#options = options;
  }

  get polls(): number {
    return this.#polls;
  }

  /** One poll: reads every page, then reports what changed since the previous poll. */
  async pollOnce(): Promise<PollOutcome> {
    const current = new Map<string, OpenAdrEvent>();
    for await (const event of this.#options.client.allEvents(this.#options.query ?? {}))
      current.set(event.id, event);
    this.#polls += 1;
    let added = 0;
    let changed = 0;
    let gone = 0;
    const next = new Map<string, string>();
    for (const [id, event] of current) {
      next.set(id, event.modificationDateTime);
      const before = this.#seen.get(id);
      if (before === undefined) {
        added += 1;
        this.#options.onEvent(event, 'new');
      } else if (before !== event.modificationDateTime) {
        changed += 1;
        this.#options.onEvent(event, 'changed');
      }
    }
    for (const id of this.#seen.keys()) {
      if (next.has(id)) continue;
      gone += 1;
      this.#options.onGone?.(id);
    }
    this.#seen = next;
    return { new: added, changed, gone };
  }

  /** Polls until `signal` aborts; a failed poll is reported and the next one comes on time. */
  async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.pollOnce();
      } catch (error) {
        if (signal.aborted) return;
        this.#options.onError?.(error);
      }
      await pause(this.#options.intervalMs, signal);
    }
  }
}
