/**
 * The demo's clock: simulated time that a visitor can pause, resume, speed up or slow down, and step
 * while paused. Simulated time = anchor + (real now − real anchor) × speed while running; every change
 * re-anchors at the current simulated time, so time is continuous across changes and never goes back.
 * Sleepers are woken by real-time timers that are re-armed on every change: a sleeper set for 12:00 at
 * speed 60 wakes at 12:00 on the clock even if the speed becomes 600 meanwhile.
 */
import { TeError } from '../core/errors.js';
import type { Clock } from './clock.js';

/** Real time and timers, injected so tests move real time themselves. */
export interface RealTime {
  nowMs(): number;
  setTimer(delayMs: number, fire: () => void): unknown;
  clearTimer(timer: unknown): void;
}

export const SYSTEM_REAL_TIME: RealTime = {
  nowMs: () => Date.now(),
  setTimer: (delayMs, fire) => setTimeout(fire, delayMs),
  clearTimer: (timer) => clearTimeout(timer as ReturnType<typeof setTimeout>),
};

export interface ClockState {
  readonly paused: boolean;
  readonly speed: number;
  readonly nowMs: number;
}

export interface ControllableClockOptions {
  /** Simulated ms per real ms (default 1). */
  readonly speed?: number;
  readonly paused?: boolean;
  readonly realTime?: RealTime;
}

interface Sleeper {
  readonly timeMs: number;
  timer: unknown;
  armed: boolean;
  readonly wake: () => void;
}

export class ControllableClock implements Clock {
  readonly #realTime: RealTime;
  /** Simulated time at #anchorRealMs; fractional, so re-anchoring loses nothing. */
  #anchorMs: number;
  #anchorRealMs: number;
  #speed: number;
  #paused: boolean;
  /** The largest reading given out: nothing reads less afterwards, even if real time steps back. */
  #lastNowMs: number;
  readonly #sleepers = new Set<Sleeper>();

  constructor(startMs: number, options: ControllableClockOptions = {}) {
    if (!Number.isFinite(startMs)) throw new RangeError(`clock start must be finite, got ${startMs}`);
    this.#realTime = options.realTime ?? SYSTEM_REAL_TIME;
    this.#speed = checkedSpeed(options.speed ?? 1);
    this.#paused = options.paused ?? false;
    this.#anchorMs = startMs;
    this.#anchorRealMs = this.#realTime.nowMs();
    this.#lastNowMs = Math.floor(startMs);
  }

  get paused(): boolean {
    return this.#paused;
  }

  get speed(): number {
    return this.#speed;
  }

  /** Sleepers waiting (for tests and diagnostics). */
  get sleeperCount(): number {
    return this.#sleepers.size;
  }

  state(): ClockState {
    return { paused: this.#paused, speed: this.#speed, nowMs: this.nowMs() };
  }

  nowMs(): number {
    this.#lastNowMs = Math.max(this.#lastNowMs, Math.floor(this.#exactNowMs()));
    return this.#lastNowMs;
  }

  pause(): void {
    if (this.#paused) return;
    this.#reanchor();
    this.#paused = true;
    this.#rearm();
  }

  resume(): void {
    if (!this.#paused) return;
    this.#reanchor();
    this.#paused = false;
    this.#rearm();
  }

  setSpeed(speed: number): void {
    const checked = checkedSpeed(speed);
    this.#reanchor();
    this.#speed = checked;
    this.#rearm();
  }

  /**
   * Moves a paused clock forward by `durationMs` at once and wakes every sleeper whose time has come.
   * Refused while running: a step on a running clock would race its own timers.
   */
  step(durationMs: number): void {
    if (!(durationMs >= 0) || !Number.isFinite(durationMs))
      throw new RangeError(`a step must be a finite duration >= 0, got ${durationMs}`);
    if (!this.#paused) {
      throw new TeError('TE_ERR_CLOCK_RUNNING', 'the clock is running; it steps only while paused', {
        hint: 'pause it first (PUT /api/demo/clock {"paused": true})',
      });
    }
    this.#reanchor();
    this.#anchorMs += durationMs;
    this.#rearm();
  }

  sleepUntil(timeMs: number, signal?: AbortSignal): Promise<void> {
    if (timeMs <= this.nowMs() || signal?.aborted === true) return Promise.resolve();
    return new Promise((resolve) => {
      const onAbort = () => {
        this.#disarm(sleeper);
        this.#sleepers.delete(sleeper);
        resolve();
      };
      const sleeper: Sleeper = {
        timeMs,
        timer: undefined,
        armed: false,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#sleepers.add(sleeper);
      this.#arm(sleeper);
    });
  }

  #exactNowMs(): number {
    if (this.#paused) return this.#anchorMs;
    // A real clock stepped back (NTP) holds simulated time still rather than running it backwards.
    const elapsedRealMs = Math.max(0, this.#realTime.nowMs() - this.#anchorRealMs);
    return this.#anchorMs + elapsedRealMs * this.#speed;
  }

  #reanchor(): void {
    this.#anchorMs = Math.max(this.#exactNowMs(), this.#lastNowMs);
    this.#anchorRealMs = this.#realTime.nowMs();
  }

  /** After a change: wakes the sleepers now due, and times the others anew at the new speed. */
  #rearm(): void {
    for (const sleeper of [...this.#sleepers]) {
      this.#disarm(sleeper);
      this.#arm(sleeper);
    }
  }

  #arm(sleeper: Sleeper): void {
    const leftMs = sleeper.timeMs - this.nowMs();
    if (leftMs <= 0) {
      this.#sleepers.delete(sleeper);
      sleeper.wake();
      return;
    }
    if (this.#paused) return;
    // At least a millisecond; a timer that fires a little early re-arms for what is left.
    const delayMs = Math.max(1, Math.ceil(leftMs / this.#speed));
    sleeper.armed = true;
    sleeper.timer = this.#realTime.setTimer(delayMs, () => {
      sleeper.armed = false;
      if (this.#sleepers.has(sleeper)) this.#arm(sleeper);
    });
  }

  #disarm(sleeper: Sleeper): void {
    if (!sleeper.armed) return;
    this.#realTime.clearTimer(sleeper.timer);
    sleeper.armed = false;
  }
}

function checkedSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`clock speed must be a finite number > 0, got ${speed}`);
  return speed;
}
