import { describe, expect, it } from 'vitest';
import { visibleWindow } from './windowing';

describe('visibleWindow', () => {
  it('renders the rows in view and an overscan either side, spacers for the rest', () => {
    const w = visibleWindow(10_000, 3_200, 480, 32, 5);
    // Row 100 is at the top; 15 rows fit, one more for a partial row, 5 either side.
    expect(w).toEqual({ start: 95, end: 121, padTopPx: 95 * 32, padBottomPx: (10_000 - 121) * 32 });
    expect(w.padTopPx + (w.end - w.start) * 32 + w.padBottomPx).toBe(10_000 * 32);
  });

  it('clamps at the top and the bottom', () => {
    expect(visibleWindow(1_000, 0, 320, 32, 4)).toMatchObject({ start: 0, end: 15, padTopPx: 0 });
    const bottom = visibleWindow(1_000, 1_000_000, 320, 32, 4);
    expect(bottom.end).toBe(1_000);
    expect(bottom.padBottomPx).toBe(0);
    expect(bottom.start).toBeLessThan(1_000);
  });

  it('renders everything in a short table and nothing in an empty one', () => {
    expect(visibleWindow(5, 0, 600, 32)).toEqual({ start: 0, end: 5, padTopPx: 0, padBottomPx: 0 });
    expect(visibleWindow(0, 0, 600, 32)).toEqual({ start: 0, end: 0, padTopPx: 0, padBottomPx: 0 });
  });
});
