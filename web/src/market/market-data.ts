/**
 * Loading for the community and market views: the platform's clock (the demo's, which may run faster
 * than real time, else the browser's), slot outcomes with a per-session cache (a cleared slot's result
 * does not change), and a bounded number of requests in flight.
 */
import type { Session } from '../api/session';
import { ApiProblem } from '../api/problem';
import { getContract, type DemoState } from './contracts';

export interface Clock {
  readonly nowMs: number;
  /** Browser time when nowMs was read. */
  readonly readMs: number;
  readonly speed: number;
  readonly paused: boolean;
}

/** The demo's clock, or the browser's where the platform is not a demo (GET /api/demo is 404). */
export async function platformClock(session: Session): Promise<Clock> {
  try {
    const demo = await getContract<DemoState>(session, '/api/demo');
    return { nowMs: demo.nowMs, readMs: Date.now(), speed: demo.speed, paused: demo.paused };
  } catch (error) {
    if (error instanceof ApiProblem && error.problem.status !== 404) throw error;
    return { nowMs: Date.now(), readMs: Date.now(), speed: 1, paused: false };
  }
}

/** The platform's time now, projected from the last reading. */
export function nowOf(clock: Clock, browserNowMs = Date.now()): number {
  return clock.paused ? clock.nowMs : clock.nowMs + (browserNowMs - clock.readMs) * clock.speed;
}

/** Midnight before `timeMs` in the browser's time zone. */
export function startOfDayMs(timeMs: number): number {
  const day = new Date(timeMs);
  day.setHours(0, 0, 0, 0);
  return day.getTime();
}
