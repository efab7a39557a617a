import { describe, expect, it } from 'vitest';
import { slotHealth } from './slot-health';

const P = 300_000;
const slot = (i: number, clearedDelayMs: number | null, settledDelayMs: number | null) => ({
  startMs: i * P,
  endMs: (i + 1) * P,
  gateClosureMs: i * P,
  clearedAtMs: clearedDelayMs === null ? null : i * P + clearedDelayMs,
  settledAtMs: settledDelayMs === null ? null : (i + 1) * P + P + settledDelayMs,
});

describe('slotHealth', () => {
  it('counts slots cleared and settled on time and the clearing latency', () => {
    const health = slotHealth(
      [slot(1, 20_000, 0), slot(0, 500, 1_000), slot(2, null, null)],
      P,
      3 * P,
      60_000,
    );
    expect(health).toEqual({
      slots: 3,
      cleared: 2,
      clearedOnTime: 2,
      settled: 2,
      settledOnTime: 2,
      lastClearingLatencyMs: 20_000,
      maxClearingLatencyMs: 20_000,
      overdueClearing: 1,
    });
  });

  it('counts a late clearing as not on time', () => {
    expect(slotHealth([slot(0, 120_000, null)], P, P, 60_000).clearedOnTime).toBe(0);
  });
});
