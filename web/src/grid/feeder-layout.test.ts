import { describe, expect, it } from 'vitest';
import { busRadius, layoutFeeder } from './feeder-layout';

const box = { width: 800, maxHeight: 560, pad: 40 };

describe('layoutFeeder', () => {
  it('keeps north up and one scale for both axes, fitted inside the padding', () => {
    const layout = layoutFeeder(
      [
        { id: 'sub', xM: 0, yM: 100, kvLL: 4.16 },
        { id: 'south', xM: 0, yM: 0, kvLL: 4.16 },
        { id: 'east', xM: 50, yM: 0, kvLL: 4.16 },
      ],
      [
        { id: 'l1', kind: 'line', fromBus: 'sub', toBus: 'south' },
        { id: 'l2', kind: 'line', fromBus: 'south', toBus: 'east' },
      ],
      box,
    );
    const at = Object.fromEntries(layout.buses.map((b) => [b.id, b]));
    // The northern bus is drawn higher (smaller SVG y).
    expect(at.sub!.y).toBeLessThan(at.south!.y);
    expect(at.sub!.y).toBeCloseTo(40);
    expect(at.south!.y).toBeCloseTo(520);
    // 100 m tall fills 480 units: 4.8 per metre, so 50 m east is 240 units.
    expect(at.east!.x - at.south!.x).toBeCloseTo(240);
    expect(layout.height).toBeCloseTo(560);
    expect(layout.lines).toHaveLength(2);
    expect(layout.lines[0]).toMatchObject({ x1: at.sub!.x, y1: at.sub!.y, x2: at.south!.x, y2: at.south!.y });
    for (const b of layout.buses) {
      expect(b.x).toBeGreaterThanOrEqual(40);
      expect(b.x).toBeLessThanOrEqual(760);
    }
  });

  it('makes a wide flat feeder short', () => {
    const layout = layoutFeeder(
      [
        { id: 'a', xM: 0, yM: 0, kvLL: 1 },
        { id: 'b', xM: 1000, yM: 10, kvLL: 1 },
      ],
      [],
      box,
    );
    expect(layout.height).toBeCloseTo(10 * (720 / 1000) + 80);
    expect(layout.buses.map((b) => b.x)).toEqual([40, 760]);
  });

  it('places every bus: unsurveyed ones beside their neighbours, islands along the bottom', () => {
    const layout = layoutFeeder(
      [
        { id: 'a', xM: 0, yM: 0, kvLL: 1 },
        { id: 'b', xM: 100, yM: 100, kvLL: 1 },
        { id: 'mid', xM: null, yM: null, kvLL: 1 },
        { id: 'tail', xM: null, yM: null, kvLL: 1 },
        { id: 'lost', xM: null, yM: null, kvLL: 1 },
      ],
      [
        { id: 'l1', kind: 'line', fromBus: 'a', toBus: 'mid' },
        { id: 'l2', kind: 'line', fromBus: 'mid', toBus: 'b' },
        { id: 'l3', kind: 'line', fromBus: 'mid', toBus: 'tail' },
        { id: 'l4', kind: 'line', fromBus: 'b', toBus: 'nowhere' },
      ],
      box,
    );
    expect(layout.buses.map((b) => b.id)).toEqual(['a', 'b', 'mid', 'tail', 'lost']);
    const at = Object.fromEntries(layout.buses.map((b) => [b.id, b]));
    expect(at.mid!.surveyed).toBe(false);
    expect(at.a!.surveyed).toBe(true);
    // mid sits between a and b.
    expect(at.mid!.x).toBeGreaterThan(at.a!.x);
    expect(at.mid!.x).toBeLessThan(at.b!.x);
    expect(at.lost!.y).toBeGreaterThanOrEqual(Math.max(at.a!.y, at.tail!.y));
    // A line to a bus the feeder does not list is not drawn.
    expect(layout.lines.map((l) => l.id)).toEqual(['l1', 'l2', 'l3']);
    for (const b of layout.buses) expect(Number.isFinite(b.x) && Number.isFinite(b.y)).toBe(true);
  });

  it('draws a single bus in the middle and nothing for no buses', () => {
    const one = layoutFeeder([{ id: 'a', xM: 5, yM: 5, kvLL: 1 }], [], box);
    expect(one.buses[0]).toMatchObject({ x: 400 });
    expect(layoutFeeder([], [], box).buses).toEqual([]);
  });
});

describe('busRadius', () => {
  it('grows the area with the connections, smallest for none', () => {
    expect(busRadius(0, 10)).toBe(6);
    expect(busRadius(3, 0)).toBe(6);
    expect(busRadius(10, 10)).toBe(13);
    expect(busRadius(10 / 4, 10)).toBeCloseTo(9.5);
  });
});
