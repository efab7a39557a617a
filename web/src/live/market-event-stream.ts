/**
 * One Server-Sent Events connection per logged-in tab (`/api/events`), shared by every panel. The
 * browser's EventSource cannot send headers, so the token goes in the query (the server accepts it on
 * this route only and never logs it). EventSource retries network drops itself; a refused stream (an
 * expired token, a restarted server) is reopened here with a growing pause.
 */
export type StreamStatus = 'connecting' | 'live' | 'retrying';

export interface LiveEvent {
  readonly type: string;
  readonly timeMs?: number;
  readonly [field: string]: unknown;
}

type Listener = (event: LiveEvent) => void;

const RETRY_PAUSES_MS = [1_000, 2_000, 5_000, 10_000];

export class MarketEventStream {
  #source: EventSource | undefined;
  #failures = 0;
  #retryTimer: ReturnType<typeof setTimeout> | undefined;
  #status: StreamStatus = 'connecting';
  readonly #listeners = new Map<string, Set<Listener>>();
  readonly #statusListeners = new Set<(status: StreamStatus) => void>();
  readonly #attachedTypes = new Set<string>();

  constructor(private readonly token: string) {}

  start(): void {
    this.#open();
  }

  stop(): void {
    clearTimeout(this.#retryTimer);
    this.#source?.close();
    this.#source = undefined;
  }

  get status(): StreamStatus {
    return this.#status;
  }

  /** Calls `listener` with each event of `type`; returns the unsubscribe. */
  on(type: string, listener: Listener): () => void {
    let set = this.#listeners.get(type);
    if (set === undefined) this.#listeners.set(type, (set = new Set()));
    set.add(listener);
    this.#attach(type);
    return () => set.delete(listener);
  }

  onStatus(listener: (status: StreamStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  #open(): void {
    const source = new EventSource(`/api/events?access_token=${encodeURIComponent(this.token)}`);
    this.#source = source;
    this.#attachedTypes.clear();
    for (const type of this.#listeners.keys()) this.#attach(type);
    source.onopen = () => {
      this.#failures = 0;
      this.#setStatus('live');
    };
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        source.close();
        const pause = RETRY_PAUSES_MS[Math.min(this.#failures, RETRY_PAUSES_MS.length - 1)] ?? 10_000;
        this.#failures += 1;
        this.#retryTimer = setTimeout(() => this.#open(), pause);
      }
      this.#setStatus('retrying');
    };
  }

  #attach(type: string): void {
    if (this.#source === undefined || this.#attachedTypes.has(type)) return;
    this.#attachedTypes.add(type);
    this.#source.addEventListener(type, (message) => {
      let event: LiveEvent;
      try {
        event = JSON.parse((message as MessageEvent<string>).data) as LiveEvent;
      } catch {
        return;
      }
      for (const listener of this.#listeners.get(type) ?? []) listener(event);
    });
  }

  #setStatus(status: StreamStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const listener of this.#statusListeners) listener(status);
  }
}
