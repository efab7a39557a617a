import { describe, expect, it } from 'vitest';
import { bandGeometry } from './comfort-band';

describe('bandGeometry', () => {
  it('shades the band with a margin and marks the temperature inside it', () => {
    const g = bandGeometry(72, 68, 76, 140)!;
    // Track 65..79 °F over 140 units: 10 units per degree.
    expect(g.bandX).toBeCloseTo(30);
    expect(g.bandWidth).toBeCloseTo(80);
    expect(g.markX).toBeCloseTo(70);
    expect(g.inside).toBe(true);
  });

  it('widens the track for a temperature outside the band and says so', () => {
    const g = bandGeometry(85, 68, 76, 100)!;
    expect(g.inside).toBe(false);
    expect(g.markX).toBeLessThanOrEqual(100);
    expect(g.markX).toBeGreaterThan(g.bandX + g.bandWidth);
  });

  it('draws nothing for a missing or inverted band', () => {
    expect(bandGeometry(Number.NaN, 68, 76, 100)).toBeUndefined();
    expect(bandGeometry(70, 76, 68, 100)).toBeUndefined();
  });
});
