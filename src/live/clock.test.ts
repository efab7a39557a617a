/**
 * The clocks keep their contract: `sleepUntil` resolves only once the clock reads the time asked for
 * (a timer firing early, as Node's may by a millisecond, must not wake a sleeper early), or when aborted.
 */
import { describe, expect, it } from 'vitest';
import { AcceleratedClock, ManualClock, WallClock } from './clock.js';

describe('clocks', () => {
  it('an accelerated clock whose real time lags the timers still wakes no sleeper early', async () => {
    // Real time as this clock reads it runs at 90% of the timers' pace, so every timer fires "early".
    const base = Date.now();
    const lagging = () => base + Math.floor((Date.now() - base) * 0.9);
    const clock = new AcceleratedClock(1_000_000, 300, lagging);
    for (const aheadMs of [300, 3_000, 15_000]) {
      const targetMs = clock.nowMs() + aheadMs;
      await clock.sleepUntil(targetMs);
      expect(clock.nowMs()).toBeGreaterThanOrEqual(targetMs);
    }
  });

  it('the wall clock wakes a sleeper no earlier than asked', async () => {
    const clock = new WallClock();
    for (let i = 0; i < 20; i += 1) {
      const targetMs = Date.now() + 3;
      await clock.sleepUntil(targetMs);
      expect(Date.now()).toBeGreaterThanOrEqual(targetMs);
    }
  });

  it('an aborted sleep resolves at once, before its time', async () => {
    const clock = new AcceleratedClock(0, 1);
    const stop = new AbortController();
    const sleeping = clock.sleepUntil(clock.nowMs() + 60_000, stop.signal);
    stop.abort();
    await sleeping;
    expect(clock.nowMs()).toBeLessThan(60_000);
    const manual = new ManualClock(0);
    const aborted = new AbortController();
    aborted.abort();
    await manual.sleepUntil(1_000, aborted.signal);
    expect(manual.nowMs()).toBe(0);
  });
});
