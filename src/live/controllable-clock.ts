/**
 * The demo's clock: simulated time that a visitor can pause, resume, speed up or slow down, and step
 * while paused. Simulated time = anchor + (real now − real anchor) × speed while running; every change
 * re-anchors at the current simulated time, so time is continuous across changes and never goes back.
 * Sleepers are woken by real-time timers that are re-armed on every change: a sleeper set for 12:00 at
 * speed 60 wakes at 12:00 on the clock even if the speed becomes 600 meanwhile.
 *
 * Two ways forward while paused: `step` jumps at once (every sleeper passed wakes together), `runFor`
 * runs the clock through the duration and pauses again exactly at its end, so whatever waits on the clock
 * (homes bidding before a gate, then reading the clearing before they give up on it) happens in order.
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
  /** A `runFor` in progress: where it stops, the speed to go back to, and who waits for it. */
  #run:
    | { readonly untilMs: number; readonly stop: AbortController; restoreSpeed: number; done: () => void }
    | undefined;

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

  /** True while a `runFor` is under way (the clock runs, and will pause at its end). */
  get running(): boolean {
    return this.#run !== undefined;
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

  /** Pauses; a `runFor` under way ends here, early. */
  pause(): void {
    if (this.#paused) return;
    this.#reanchor();
    this.#endRun();
    this.#paused = true;
    this.#rearm();
  }

  /** Runs on; a `runFor` under way no longer stops at its end. */
  resume(): void {
    if (!this.#paused && this.#run === undefined) return;
    this.#reanchor();
    this.#endRun();
    this.#paused = false;
    this.#rearm();
  }

  setSpeed(speed: number): void {
    const checked = checkedSpeed(speed);
    this.#reanchor();
    this.#speed = checked;
    if (this.#run !== undefined) this.#run.restoreSpeed = checked;
    this.#rearm();
  }

  /**
   * Runs a paused clock for `durationMs` of clock time, at its speed or at least `minSpeed`, and pauses it
   * exactly at the end (the speed goes back to what it was). Resolves then, or when a pause or resume ends
   * the run early. Refused while running.
   */
  runFor(durationMs: number, minSpeed = 0): Promise<void> {
    checkedDuration(durationMs);
    this.#refuseRunning();
    this.#reanchor();
    const untilMs = this.#anchorMs + durationMs;
    return new Promise((resolve) => {
      const stop = new AbortController();
      this.#run = { untilMs, stop, restoreSpeed: this.#speed, done: resolve };
      this.#speed = Math.max(this.#speed, minSpeed);
      this.#paused = false;
      void this.sleepUntil(untilMs, stop.signal).then(() => {
        if (this.#run?.stop === stop) this.pause();
      });
      this.#rearm();
    });
  }

  /**
   * Moves a paused clock forward by `durationMs` at once and wakes every sleeper whose time has come.
   * Refused while running: a step on a running clock would race its own timers.
   */
  step(durationMs: number): void {
    checkedDuration(durationMs);
    this.#refuseRunning();
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
    const nowMs = this.#anchorMs + elapsedRealMs * this.#speed;
    // A run stops at its end even if its timer fires late.
    return this.#run === undefined ? nowMs : Math.min(nowMs, this.#run.untilMs);
  }

  #refuseRunning(): void {
    if (this.#paused) return;
    throw new TeError('TE_ERR_CLOCK_RUNNING', 'the clock is running; it steps only while paused', {
      hint: 'pause it first (PUT /api/demo/clock {"paused": true})',
    });
  }

  /** Ends a `runFor` (called re-anchored): its speed comes back and its waiter is told. */
  #endRun(): void {
    const run = this.#run;
    if (run === undefined) return;
    this.#run = undefined;
    this.#speed = run.restoreSpeed;
    run.stop.abort();
    run.done();
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

function checkedDuration(durationMs: number): void {
  if (!(durationMs >= 0) || !Number.isFinite(durationMs))
    throw new RangeError(`a step must be a finite duration >= 0, got ${durationMs}`);
}

function checkedSpeed(speed: number): number {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new RangeError(`clock speed must be a finite number > 0, got ${speed}`);
  return speed;
}
