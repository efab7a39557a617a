/** Real time for tests of the controllable clock: it moves only when told, firing due timers in order. */
import type { RealTime } from './controllable-clock.js';

/** Real time that moves only when the test says; timers fire as it passes them. */
export class FakeRealTime implements RealTime {
  #nowMs = 1_000_000;
  #nextId = 0;
  readonly #timers = new Map<number, { atMs: number; fire: () => void }>();

  nowMs(): number {
    return this.#nowMs;
  }

  setTimer(delayMs: number, fire: () => void): unknown {
    const id = ++this.#nextId;
    this.#timers.set(id, { atMs: this.#nowMs + delayMs, fire });
    return id;
  }

  clearTimer(timer: unknown): void {
    this.#timers.delete(timer as number);
  }

  get pendingTimers(): number {
    return this.#timers.size;
  }

  /** Moves real time forward, firing due timers in time order (each may set new ones). */
  advance(ms: number): void {
    const endMs = this.#nowMs + ms;
    for (;;) {
      let next: [number, { atMs: number; fire: () => void }] | undefined;
      for (const entry of this.#timers) if (next === undefined || entry[1].atMs < next[1].atMs) next = entry;
      if (next === undefined || next[1].atMs > endMs) break;
      this.#timers.delete(next[0]);
      this.#nowMs = Math.max(this.#nowMs, next[1].atMs);
      next[1].fire();
    }
    this.#nowMs = endMs;
  }
}
