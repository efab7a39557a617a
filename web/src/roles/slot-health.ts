/**
 * The market operator's health figures from the slot list: how late each slot cleared after its gate
 * closed and settled after its settlement was due, and how many were on time.
 */
export interface SlotLike {
  readonly startMs: number;
  readonly endMs: number;
  readonly gateClosureMs: number;
  readonly clearedAtMs: number | null;
  readonly settledAtMs: number | null;
}

export interface SlotHealth {
  readonly slots: number;
  readonly cleared: number;
  readonly clearedOnTime: number;
  readonly settled: number;
  readonly settledOnTime: number;
  /** Clearing latency of the last cleared slot: cleared minus gate closure, ms (simulated time). */
  readonly lastClearingLatencyMs: number | undefined;
  readonly maxClearingLatencyMs: number | undefined;
  /** Slots whose gate has passed (at `nowMs`) and that have not cleared. */
  readonly overdueClearing: number;
}

/**
 * On time: cleared within `clearingToleranceMs` of gate closure; settled within the tolerance of the
 * slot's end plus the settlement delay.
 */
export function slotHealth(
  slots: readonly SlotLike[],
  settlementDelayMs: number,
  nowMs: number,
  clearingToleranceMs: number,
): SlotHealth {
  const sorted = [...slots].sort((a, b) => a.startMs - b.startMs);
  let cleared = 0;
  let clearedOnTime = 0;
  let settled = 0;
  let settledOnTime = 0;
  let last: number | undefined;
  let max: number | undefined;
  let overdueClearing = 0;
  for (const slot of sorted) {
    if (slot.clearedAtMs !== null) {
      cleared += 1;
      const latency = slot.clearedAtMs - slot.gateClosureMs;
      if (latency <= clearingToleranceMs) clearedOnTime += 1;
      last = latency;
      max = max === undefined ? latency : Math.max(max, latency);
    } else if (nowMs > slot.gateClosureMs + clearingToleranceMs) overdueClearing += 1;
    if (slot.settledAtMs !== null) {
      settled += 1;
      if (slot.settledAtMs <= slot.endMs + settlementDelayMs + clearingToleranceMs) settledOnTime += 1;
    }
  }
  return {
    slots: sorted.length,
    cleared,
    clearedOnTime,
    settled,
    settledOnTime,
    lastClearingLatencyMs: last,
    maxClearingLatencyMs: max,
    overdueClearing,
  };
}
