import { describe, expect, it } from 'vitest';
import type { LatestDevice } from '../market/contracts';
import {
  aggregateByKind,
  arrowWidthPx,
  communityLoadKw,
  flowLayout,
  homesNetKw,
  MAX_ARROW_PX,
  MIN_ARROW_PX,
} from './flow-model';

const device = (id: string, kind: string, powerKw: number, extra: Partial<LatestDevice['sample']> = {}) => ({
  deviceId: id,
  participantId: id.split('.')[0] ?? id,
  kind,
  sample: { timeMs: 1000, powerKw, ...extra },
});

const DEVICES: LatestDevice[] = [
  device('a.hvac', 'hvac', 3),
  device('a.pv', 'pv', -4),
  device('b.pv', 'pv', -2),
  device('b.battery', 'battery', -1.5, { socPct: 40, timeMs: 2000 }),
  device('c.battery', 'battery', 2.5, { socPct: 80 }),
  device('c.heat-pump', 'heat-pump', 1),
  device('c.broken', 'ev', Number.NaN),
];

describe('community flow model', () => {
  it('sums the latest samples by kind in a fixed order, unknown kinds last, with the mean state of charge', () => {
    const totals = aggregateByKind(DEVICES);
    expect(totals.map((t) => [t.kind, t.powerKw, t.devices])).toEqual([
      ['pv', -6, 2],
      ['battery', 1, 2],
      ['hvac', 3, 1],
      ['heat-pump', 1, 1],
    ]);
    expect(totals[1]?.socPct).toBe(60);
    expect(totals[1]?.newestMs).toBe(2000);
    expect(totals[0]?.socPct).toBeUndefined();
  });

  it('keeps the load sign: net is everything summed, load only what draws', () => {
    const totals = aggregateByKind(DEVICES);
    expect(homesNetKw(totals)).toBe(-1);
    expect(communityLoadKw(totals)).toBe(5);
  });

  it('widens arrows with the square root of power, within bounds', () => {
    expect(arrowWidthPx(0, 100)).toBe(MIN_ARROW_PX);
    expect(arrowWidthPx(100, 100)).toBe(MAX_ARROW_PX);
    expect(arrowWidthPx(-100, 100)).toBe(MAX_ARROW_PX);
    expect(arrowWidthPx(25, 100)).toBe(8.8); // halfway between 1.5 and 16, rounded to 0.1 px
    expect(arrowWidthPx(5, 0)).toBe(MIN_ARROW_PX);
  });

  it('points import towards the homes and export back, and spreads the kinds on the right', () => {
    const kinds = aggregateByKind(DEVICES);
    const layout = flowLayout({ kinds, substationKw: -12, homesKw: -11 }, 800, 400);
    const byId = new Map(layout.arrows.map((a) => [a.id, a]));
    const grid = byId.get('grid-substation');
    expect([grid?.from.id, grid?.to.id, grid?.tone, grid?.powerKw]).toEqual([
      'substation',
      'grid',
      'export',
      12,
    ]);
    expect(grid?.widthPx).toBe(MAX_ARROW_PX);
    const hvac = byId.get('homes-hvac');
    expect([hvac?.from.id, hvac?.to.id, hvac?.tone]).toEqual(['homes', 'hvac', 'import']);
    const pv = byId.get('homes-pv');
    expect([pv?.from.id, pv?.to.id, pv?.tone]).toEqual(['pv', 'homes', 'export']);
    const kindNodes = layout.nodes.slice(3);
    expect(kindNodes.map((n) => Math.round(n.y * 10) / 10)).toEqual([30, 143.3, 256.7, 370]);
    expect(kindNodes.every((n) => n.x === 800 * 0.74)).toBe(true);
    expect(layout.nodes.find((n) => n.id === 'hvac')?.label).toBe('Air conditioning');
  });

  it('draws an unknown substation flow as idle, and one kind in the middle', () => {
    const layout = flowLayout(
      { kinds: [aggregateByKind(DEVICES)[0]!], substationKw: undefined, homesKw: 0 },
      800,
      400,
    );
    expect(layout.arrows[0]?.tone).toBe('idle');
    expect(layout.arrows[1]?.tone).toBe('idle');
    expect(layout.nodes[3]?.y).toBe(200);
    const bare = flowLayout({ kinds: [], substationKw: 10, homesKw: 9 });
    expect(bare.height).toBe(150);
    expect(bare.nodes.map((n) => n.x)).toEqual([760 * 0.12, 760 * 0.5, 760 * 0.88]);
    expect(flowLayout({ kinds: aggregateByKind(DEVICES), substationKw: 1, homesKw: 1 }).height).toBe(260);
  });
});
