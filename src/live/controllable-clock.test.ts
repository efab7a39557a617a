import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTeError } from '../core/errors.js';
import { ControllableClock } from './controllable-clock.js';
import { FakeRealTime } from './fake-real-time.fixture.js';

const START_MS = Date.UTC(2026, 5, 1);
const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

function tracked(clock: ControllableClock, timeMs: number, signal?: AbortSignal) {
  const woke: { atMs: number | undefined } = { atMs: undefined };
  void clock.sleepUntil(timeMs, signal).then(() => {
    woke.atMs = clock.nowMs();
  });
  return woke;
}

describe('ControllableClock', () => {
  it('runs at its speed from its start, continuously across speed changes', () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 60, realTime: real });
    real.advance(1000);
    expect(clock.nowMs()).toBe(START_MS + 60_000);
    clock.setSpeed(600);
    expect(clock.nowMs()).toBe(START_MS + 60_000);
    real.advance(1000);
    expect(clock.nowMs()).toBe(START_MS + 660_000);
    expect(clock.state()).toEqual({ paused: false, speed: 600, nowMs: START_MS + 660_000 });
  });

  it('stands still while paused and steps only then', () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 10, realTime: real });
    real.advance(100);
    clock.pause();
    real.advance(10_000);
    expect(clock.nowMs()).toBe(START_MS + 1000);
    clock.step(900_000);
    expect(clock.nowMs()).toBe(START_MS + 901_000);
    clock.resume();
    real.advance(100);
    expect(clock.nowMs()).toBe(START_MS + 902_000);
    let refusal: unknown;
    try {
      clock.step(1);
    } catch (caught) {
      refusal = caught;
    }
    expect(isTeError(refusal) && refusal.code).toBe('TE_ERR_CLOCK_RUNNING');
    expect(() => clock.setSpeed(0)).toThrow(RangeError);
    expect(() => clock.setSpeed(Number.NaN)).toThrow(RangeError);
  });

  it('wakes a sleeper at its time on the clock after a speed change', async () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 60, realTime: real });
    const woke = tracked(clock, START_MS + 600_000); // ten real seconds at speed 60
    real.advance(5000);
    clock.setSpeed(600); // 300 s left on the clock: half a real second now
    real.advance(499);
    await flush();
    expect(woke.atMs).toBeUndefined();
    real.advance(1);
    await flush();
    expect(woke.atMs).toBe(START_MS + 600_000);
  });

  it('keeps sleepers asleep while paused and wakes those a step passes', async () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 100, realTime: real });
    const early = tracked(clock, START_MS + 60_000);
    const late = tracked(clock, START_MS + 3_600_000);
    clock.pause();
    expect(real.pendingTimers).toBe(0);
    real.advance(1_000_000);
    await flush();
    expect(early.atMs).toBeUndefined();
    clock.step(900_000);
    await flush();
    expect(early.atMs).toBe(START_MS + 900_000);
    expect(late.atMs).toBeUndefined();
    clock.resume();
    real.advance(27_000);
    await flush();
    expect(late.atMs).toBe(START_MS + 3_600_000);
    expect(clock.sleeperCount).toBe(0);
  });

  it('runs for a duration at a least speed and pauses exactly at its end, waking sleepers in order', async () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 10, paused: true, realTime: real });
    const order: number[] = [];
    for (const aheadMs of [300_000, 100_000, 200_000, 400_000]) {
      void clock.sleepUntil(START_MS + aheadMs).then(() => order.push(aheadMs));
    }
    let done = false;
    const run = clock.runFor(300_000, 150).then(() => {
      done = true;
    });
    expect(clock.paused).toBe(false);
    expect(clock.running).toBe(true);
    expect(clock.speed).toBe(150);
    let refusal: unknown;
    try {
      clock.step(1);
    } catch (caught) {
      refusal = caught;
    }
    expect(isTeError(refusal) && refusal.code).toBe('TE_ERR_CLOCK_RUNNING');
    expect(() => clock.runFor(1)).toThrow('the clock is running');
    real.advance(1000); // 150 s on the clock
    await flush();
    expect(order).toEqual([100_000]);
    real.advance(5000); // well past the end: the clock stops there anyway
    await run;
    expect(done).toBe(true);
    expect(order).toEqual([100_000, 200_000, 300_000]);
    expect(clock.state()).toEqual({ paused: true, speed: 10, nowMs: START_MS + 300_000 });
    expect(clock.running).toBe(false);
    real.advance(60_000);
    expect(clock.nowMs()).toBe(START_MS + 300_000);
  });

  it('ends a run early on pause (where it got to) or on resume (running on)', async () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 100, paused: true, realTime: real });
    const first = clock.runFor(300_000);
    real.advance(1000);
    clock.pause();
    await first;
    expect(clock.state()).toEqual({ paused: true, speed: 100, nowMs: START_MS + 100_000 });
    const second = clock.runFor(300_000, 1000);
    real.advance(100);
    clock.resume();
    await second;
    expect(clock.state()).toEqual({ paused: false, speed: 100, nowMs: START_MS + 200_000 });
    real.advance(10_000);
    expect(clock.nowMs()).toBe(START_MS + 1_200_000);
  });

  it('lets an abort end a sleep early and forgets the sleeper', async () => {
    const real = new FakeRealTime();
    const clock = new ControllableClock(START_MS, { speed: 1, realTime: real });
    const stop = new AbortController();
    const woke = tracked(clock, START_MS + 60_000, stop.signal);
    stop.abort();
    await flush();
    expect(woke.atMs).toBe(START_MS);
    expect(clock.sleeperCount).toBe(0);
    expect(real.pendingTimers).toBe(0);
    await expect(clock.sleepUntil(START_MS + 1, stop.signal)).resolves.toBeUndefined();
  });

  it('property: never goes back, and every sleeper wakes at or after its time, none before', async () => {
    const action = fc.oneof(
      fc.record({ kind: fc.constant('real' as const), ms: fc.integer({ min: 0, max: 5000 }) }),
      fc.record({ kind: fc.constant('speed' as const), speed: fc.integer({ min: 1, max: 3600 }) }),
      fc.record({ kind: fc.constant('pause' as const) }),
      fc.record({ kind: fc.constant('resume' as const) }),
      fc.record({ kind: fc.constant('step' as const), ms: fc.integer({ min: 0, max: 3_600_000 }) }),
      fc.record({ kind: fc.constant('run' as const), ms: fc.integer({ min: 0, max: 3_600_000 }) }),
      fc.record({ kind: fc.constant('sleep' as const), aheadMs: fc.integer({ min: 1, max: 7_200_000 }) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(action, { maxLength: 40 }), async (actions) => {
        const real = new FakeRealTime();
        const clock = new ControllableClock(START_MS, { speed: 60, realTime: real });
        const sleepers: { timeMs: number; woke: { atMs: number | undefined } }[] = [];
        let last = clock.nowMs();
        for (const a of actions) {
          if (a.kind === 'real') real.advance(a.ms);
          else if (a.kind === 'speed') clock.setSpeed(a.speed);
          else if (a.kind === 'pause') clock.pause();
          else if (a.kind === 'resume') clock.resume();
          else if (a.kind === 'step') {
            if (clock.paused) clock.step(a.ms);
          } else if (a.kind === 'run') {
            if (clock.paused) {
              const untilMs = clock.nowMs() + a.ms;
              void clock.runFor(a.ms, 600).then(() => {
                // Ended at its end, or earlier by a pause or resume: never beyond it while paused.
                if (clock.paused) expect(clock.nowMs()).toBeLessThanOrEqual(untilMs);
              });
            }
          } else {
            const timeMs = clock.nowMs() + a.aheadMs;
            sleepers.push({ timeMs, woke: tracked(clock, timeMs) });
          }
          await flush();
          const now = clock.nowMs();
          expect(now).toBeGreaterThanOrEqual(last);
          last = now;
          for (const s of sleepers) {
            if (s.woke.atMs !== undefined) expect(s.woke.atMs).toBeGreaterThanOrEqual(s.timeMs);
            // One whose time has come is woken within a real millisecond (its timer rounds up): none is lost.
            else expect(s.timeMs).toBeGreaterThan(now - (clock.paused ? 0 : clock.speed + 1));
          }
        }
        // Running long enough at the current speed wakes everyone left.
        clock.resume();
        clock.setSpeed(3600);
        real.advance(4 * 3_600_000);
        await flush();
        for (const s of sleepers) expect(s.woke.atMs).toBeGreaterThanOrEqual(s.timeMs);
        expect(clock.sleeperCount).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
