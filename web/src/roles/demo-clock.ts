/**
 * The demo's simulated clock as the browser sees it: the last state the server sent, carried forward
 * at its speed while running, and the speeds the operator may pick.
 */
export interface DemoClockState {
  readonly paused: boolean;
  /** Simulated ms per real ms. */
  readonly speed: number;
  readonly nowMs: number;
}

export const DEMO_SPEEDS: readonly number[] = [1, 10, 60, 144, 300, 600, 1200, 1800, 3600];

/** Simulated time `elapsedRealMs` after the state was received. */
export function simulatedNowMs(state: DemoClockState, elapsedRealMs: number): number {
  return state.paused ? state.nowMs : state.nowMs + Math.max(0, elapsedRealMs) * state.speed;
}

/** The speeds to offer: the standard ones plus the current one, ascending. */
export function speedOptions(current: number): number[] {
  return [...new Set([...DEMO_SPEEDS, current])].sort((a, b) => a - b);
}

/** The time window a view shows: the last `hours` up to the slot after now, aligned to slots. */
export function recentWindow(
  nowMs: number,
  periodMs: number,
  hours: number,
): { fromMs: number; toMs: number } {
  const toMs = Math.floor(nowMs / periodMs) * periodMs + periodMs;
  return { fromMs: toMs - hours * 3_600_000, toMs };
}
