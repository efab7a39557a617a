/**
 * How the report draws a feeder: bus coordinates, the distance of every bus from the substation along the
 * feeder (coordinate lengths where both ends have coordinates, one per hop otherwise) and homes per bus.
 */
import type { Network } from '../../grid/network.js';
import type { GridLayout } from '../results.js';
import type { HomeConnection } from './home-placement.js';

export function gridLayout(
  network: Network,
  busNames: readonly string[],
  connections: readonly HomeConnection[],
): GridLayout {
  const buses = new Map(network.buses.map((bus) => [bus.name, bus]));
  const branches = [
    ...network.lines.map((e) => ({ from: e.from, to: e.to, kind: 'line' })),
    ...network.transformers.map((e) => ({ from: e.from, to: e.to, kind: 'transformer' })),
    ...network.regulators.map((e) => ({ from: e.from, to: e.to, kind: 'regulator' })),
    ...network.switches.filter((e) => e.closed).map((e) => ({ from: e.from, to: e.to, kind: 'switch' })),
  ];
  const neighbours = new Map<string, string[]>();
  for (const b of branches) {
    neighbours.set(b.from, [...(neighbours.get(b.from) ?? []), b.to]);
    neighbours.set(b.to, [...(neighbours.get(b.to) ?? []), b.from]);
  }
  const length = (a: string, b: string): number => {
    const p = buses.get(a);
    const q = buses.get(b);
    return p?.x !== undefined && p.y !== undefined && q?.x !== undefined && q.y !== undefined
      ? Math.hypot(p.x - q.x, p.y - q.y)
      : 1;
  };
  const distance = new Map<string, number>([[network.source.bus, 0]]);
  const queue = [network.source.bus];
  for (let head = 0; head < queue.length; head++) {
    const bus = queue[head] as string;
    for (const next of neighbours.get(bus) ?? []) {
      if (distance.has(next)) continue;
      distance.set(next, (distance.get(bus) ?? 0) + length(bus, next));
      queue.push(next);
    }
  }
  const homes = new Map<string, number>();
  for (const c of connections) homes.set(c.bus, (homes.get(c.bus) ?? 0) + 1);
  return {
    feederName: network.name,
    buses: busNames.map((name) => ({
      name,
      x: buses.get(name)?.x ?? null,
      y: buses.get(name)?.y ?? null,
      distance: distance.get(name) ?? 0,
      homes: homes.get(name) ?? 0,
    })),
    branches: branches.filter((b) => busNames.includes(b.from) && busNames.includes(b.to)),
  };
}
