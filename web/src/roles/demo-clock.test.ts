import { describe, expect, it } from 'vitest';
import { recentWindow, simulatedNowMs, speedOptions } from './demo-clock';

describe('demo clock', () => {
  it('carries the clock forward at its speed while running, not while paused', () => {
    expect(simulatedNowMs({ paused: false, speed: 600, nowMs: 1000 }, 2)).toBe(2200);
    expect(simulatedNowMs({ paused: true, speed: 600, nowMs: 1000 }, 2)).toBe(1000);
  });

  it('offers the current speed among the standard ones', () => {
    expect(speedOptions(250)).toContain(250);
    expect(speedOptions(600).filter((s) => s === 600)).toHaveLength(1);
  });

  it('aligns the window to the slot after now', () => {
    expect(recentWindow(3_700_000, 300_000, 1)).toEqual({ fromMs: 300_000, toMs: 3_900_000 });
  });
});
