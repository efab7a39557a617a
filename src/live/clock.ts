/**
 * Time for the live platform. Domain code takes times as arguments; the live loop reads them from a
 * `Clock`, so the same operator runs on the wall clock (`tenet serve`), on an accelerated clock
 * (`tenet demo`: one simulated day in minutes) and on a manual clock in tests.
 */

export interface Clock {
  /** The current time on this clock, epoch ms. */
  nowMs(): number;
  /**
   * Resolves once this clock reads at least `timeMs`, or early (without error) when `signal` aborts.
   * Never rejects.
   */
  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void>;
}

/** Real time. */
export class WallClock implements Clock {
  nowMs(): number {
    return Date.now();
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    return sleepUntilReading(this, timeMs, (clockMs) => clockMs, signal);
  }
}

/**
 * Simulated time running `speed` times faster than real time from `startMs` (simulated) at the moment
 * the clock is made. speed 144 runs a day in ten minutes.
 */
export class AcceleratedClock implements Clock {
  readonly #realStartMs: number;

  constructor(
    readonly startMs: number,
    readonly speed: number,
    private readonly realNowMs: () => number = Date.now,
  ) {
    if (!(speed > 0) || !Number.isFinite(speed))
      throw new RangeError(`clock speed must be > 0, got ${speed}`);
    this.#realStartMs = realNowMs();
  }

  nowMs(): number {
    return Math.floor(this.startMs + (this.realNowMs() - this.#realStartMs) * this.speed);
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    return sleepUntilReading(this, timeMs, (clockMs) => clockMs / this.speed, signal);
  }
}

/** A clock that moves only when told to; sleepers wake as it passes their time. For tests. */
export class ManualClock implements Clock {
  #nowMs: number;
  readonly #sleepers = new Set<{ timeMs: number; wake: () => void }>();

  constructor(startMs: number) {
    this.#nowMs = startMs;
  }

  nowMs(): number {
    return this.#nowMs;
  }

  /** Moves the clock to `timeMs` (never backwards) and wakes every sleeper whose time has come. */
  set(timeMs: number): void {
    this.#nowMs = Math.max(this.#nowMs, timeMs);
    for (const sleeper of [...this.#sleepers]) {
      if (sleeper.timeMs <= this.#nowMs) {
        this.#sleepers.delete(sleeper);
        sleeper.wake();
      }
    }
  }

  advance(ms: number): void {
    this.set(this.#nowMs + ms);
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    if (timeMs <= this.#nowMs || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const sleeper = {
        timeMs,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      const onAbort = () => {
        this.#sleepers.delete(sleeper);
        resolve();
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
    });
  }
}

/** Real-time waiting that an abort ends early (without error). */
/**
 * Sleeps in real time until `clock` reads at least `timeMs`. A timer can fire a millisecond before the
 * time it was set for, as `Date.now()` reads it, and on an accelerated clock that millisecond is
 * hundreds of clock milliseconds: one timer is not enough, so this sleeps again for what is left.
 */
async function sleepUntilReading(
  clock: Clock,
  timeMs: number,
  realMsOf: (clockMs: number) => number,
  signal: AbortSignal | undefined,
): Promise<void> {
  for (let leftMs = timeMs - clock.nowMs(); leftMs > 0; leftMs = timeMs - clock.nowMs()) {
    if (signal?.aborted === true) return;
    await sleepReal(Math.max(1, Math.ceil(realMsOf(leftMs))), signal);
  }
}

export function sleepReal(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted === true) return Promise.resolve();
  return new Promise((resolve) => {
    const onAbort = () => {
      clearTimeout(timer);
      resolve();
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
