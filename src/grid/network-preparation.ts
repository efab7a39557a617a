/**
 * From a validated `Network` to what the solver works on: distributed loads lumped onto buses (splitting
 * a line where the lumping needs an inner bus), the nominal voltage of every bus derived from the source
 * through the transformers, and one node number per bus phase.
 */
import { TeError } from '../core/errors.js';
import type { Bus, DistributedLoad, Line, Load, Network, Phase } from './network.js';
import { phaseIndex, scalePhaseMatrix } from './network.js';

export interface PreparedNetwork {
  readonly network: Network;
  /** Nominal line-to-line kV per bus name. */
  readonly nominalKvLL: ReadonlyMap<string, number>;
  /** Node number of (bus, phase), or -1; nodeOf.get(bus)[phaseIndex]. */
  readonly nodeOf: ReadonlyMap<string, Int32Array>;
  readonly nodeCount: number;
  /** Per node: its bus, phase and nominal line-to-neutral volts. */
  readonly nodeBus: readonly string[];
  readonly nodePhase: readonly Phase[];
  readonly nodeBaseV: Float64Array;
  /**
   * Buses with no galvanic path to ground: behind a delta or ungrounded-wye winding, with no grounded
   * source or wye-grounded winding in their zone. A wye load there has a floating neutral.
   */
  readonly ungroundedBuses: ReadonlySet<string>;
}

export function prepareNetwork(input: Network): PreparedNetwork {
  const network = dropDeEnergised(lumpDistributedLoads(input));
  const nominalKvLL = deriveNominalVoltages(network);
  const nodeOf = new Map<string, Int32Array>();
  const nodeBus: string[] = [];
  const nodePhase: Phase[] = [];
  const baseV: number[] = [];
  // A phase that only an open switch uses carries nothing and would make the matrix singular.
  const used = new Set<string>();
  const sourceBus = network.buses.find((b) => b.name === network.source.bus);
  for (const phase of sourceBus?.phases ?? []) used.add(`${network.source.bus}.${phase}`);
  for (const e of [
    ...network.lines,
    ...network.transformers,
    ...network.regulators,
    ...network.switches.filter((s) => s.closed),
  ]) {
    for (const phase of e.phases) used.add(`${e.from}.${phase}`).add(`${e.to}.${phase}`);
  }
  for (const bus of network.buses) {
    const nodes = new Int32Array([-1, -1, -1]);
    for (const phase of [...bus.phases].sort()) {
      if (!used.has(`${bus.name}.${phase}`)) continue;
      nodes[phaseIndex(phase)] = nodeBus.length;
      nodeBus.push(bus.name);
      nodePhase.push(phase);
      baseV.push(((nominalKvLL.get(bus.name) ?? network.source.kvLL) * 1000) / Math.sqrt(3));
    }
    nodeOf.set(bus.name, nodes);
  }
  return {
    network,
    nominalKvLL,
    nodeOf,
    nodeCount: nodeBus.length,
    nodeBus,
    nodePhase,
    nodeBaseV: Float64Array.from(baseV),
    ungroundedBuses: findUngroundedBuses(network),
  };
}

/** Nominal kV flows from the source; a transformer scales it by kvLow / kvHigh; a bus's own value wins. */
function deriveNominalVoltages(network: Network): Map<string, number> {
  const neighbours = new Map<string, { to: string; ratio: number }[]>();
  const link = (a: string, b: string, ratio: number): void => {
    neighbours.set(a, [...(neighbours.get(a) ?? []), { to: b, ratio }]);
    neighbours.set(b, [...(neighbours.get(b) ?? []), { to: a, ratio: 1 / ratio }]);
  };
  for (const e of network.lines) link(e.from, e.to, 1);
  for (const e of network.regulators) link(e.from, e.to, 1);
  for (const e of network.switches) link(e.from, e.to, 1);
  for (const t of network.transformers) link(t.from, t.to, t.kvLow / t.kvHigh);
  const given = new Map(
    network.buses.flatMap((b) => (b.nominalKvLL === undefined ? [] : [[b.name, b.nominalKvLL]])),
  );
  const result = new Map<string, number>([
    [network.source.bus, given.get(network.source.bus) ?? network.source.kvLL],
  ]);
  const queue = [network.source.bus];
  while (queue.length > 0) {
    const bus = queue.shift()!;
    for (const { to, ratio } of neighbours.get(bus) ?? []) {
      if (result.has(to)) continue;
      result.set(to, given.get(to) ?? result.get(bus)! * ratio);
      queue.push(to);
    }
  }
  return result;
}

/** Remove buses no closed path reaches from the source, with the elements that touch them. */
function dropDeEnergised(network: Network): Network {
  const adjacency = new Map<string, string[]>();
  const link = (a: string, b: string): void => {
    adjacency.set(a, [...(adjacency.get(a) ?? []), b]);
    adjacency.set(b, [...(adjacency.get(b) ?? []), a]);
  };
  for (const e of [...network.lines, ...network.transformers, ...network.regulators]) link(e.from, e.to);
  for (const s of network.switches) if (s.closed) link(s.from, s.to);
  const live = new Set([network.source.bus]);
  const stack = [network.source.bus];
  while (stack.length > 0) {
    for (const next of adjacency.get(stack.pop()!) ?? []) {
      if (!live.has(next)) {
        live.add(next);
        stack.push(next);
      }
    }
  }
  if (network.buses.every((b) => live.has(b.name))) return network;
  const both = (e: { from: string; to: string }): boolean => live.has(e.from) && live.has(e.to);
  return {
    ...network,
    buses: network.buses.filter((b) => live.has(b.name)),
    lines: network.lines.filter(both),
    transformers: network.transformers.filter(both),
    regulators: network.regulators.filter(both),
    switches: network.switches.filter(both),
  };
}

/** Zones joined by lines, switches and regulators; grounded by the source or a wye-grounded winding. */
function findUngroundedBuses(network: Network): Set<string> {
  const zone = new Map<string, string>(network.buses.map((b) => [b.name, b.name]));
  const root = (bus: string): string => {
    let r = bus;
    while (zone.get(r) !== r && zone.get(r) !== undefined) r = zone.get(r)!;
    zone.set(bus, r);
    return r;
  };
  const join = (a: string, b: string): void => {
    zone.set(root(a), root(b));
  };
  for (const e of [...network.lines, ...network.regulators, ...network.switches.filter((s) => s.closed)])
    join(e.from, e.to);
  const grounded = new Set<string>([root(network.source.bus)]);
  for (const t of network.transformers) {
    if (t.connectionHigh === 'wye-grounded') grounded.add(root(t.from));
    if (t.connectionLow === 'wye-grounded') grounded.add(root(t.to));
  }
  return new Set(network.buses.map((b) => b.name).filter((name) => !grounded.has(root(name))));
}

/** Replace each distributed load with spot loads (and, for Kersting's exact lumping, an inner bus). */
export function lumpDistributedLoads(network: Network): Network {
  if (network.distributedLoads.length === 0) return network;
  const lines = new Map(network.lines.map((l) => [l.name, l]));
  const buses = new Map(network.buses.map((b) => [b.name, b]));
  const extraBuses: Bus[] = [];
  const extraLoads: Load[] = [];
  for (const d of network.distributedLoads) {
    const line = lines.get(d.line);
    if (line === undefined) {
      throw new TeError('TE_ERR_GRID_TOPOLOGY', `names unknown line '${d.line}'`, {
        path: `distributed load ${d.name}`,
      });
    }
    const spot = (bus: string, share: number, suffix: string): Load => spotShare(d, bus, share, suffix);
    if ((d.lumping ?? 'kersting-exact') === 'half-each-end') {
      extraLoads.push(spot(line.from, 0.5, 'from'), spot(line.to, 0.5, 'to'));
      continue;
    }
    // 2/3 of the load at a quarter of the length, 1/3 at the far end: the same voltage drop and losses
    // as the uniform spread (Kersting, section 3.3).
    const innerName = `${line.name}~quarter`;
    const fromBus = buses.get(line.from);
    extraBuses.push({
      name: innerName,
      phases: line.phases,
      ...(fromBus?.nominalKvLL === undefined ? {} : { nominalKvLL: fromBus.nominalKvLL }),
    });
    const first: Line = {
      ...line,
      to: innerName,
      seriesImpedanceOhm: scalePhaseMatrix(line.seriesImpedanceOhm, 0.25),
      shuntAdmittanceS: scalePhaseMatrix(line.shuntAdmittanceS, 0.25),
    };
    const second: Line = {
      ...line,
      name: `${line.name}~rest`,
      from: innerName,
      seriesImpedanceOhm: scalePhaseMatrix(line.seriesImpedanceOhm, 0.75),
      shuntAdmittanceS: scalePhaseMatrix(line.shuntAdmittanceS, 0.75),
    };
    lines.set(line.name, first);
    lines.set(second.name, second);
    extraLoads.push(spot(innerName, 2 / 3, 'quarter'), spot(line.to, 1 / 3, 'end'));
  }
  return {
    ...network,
    buses: [...network.buses, ...extraBuses],
    lines: [...lines.values()],
    loads: [...network.loads, ...extraLoads],
    distributedLoads: [],
  };
}

function spotShare(d: DistributedLoad, bus: string, share: number, suffix: string): Load {
  const { line: _line, lumping: _lumping, ...rest } = d;
  return {
    ...rest,
    name: `${d.name}~${suffix}`,
    bus,
    phasePowers: d.phasePowers.map((p) => ({ phase: p.phase, pKw: p.pKw * share, qKvar: p.qKvar * share })),
  };
}
