/**
 * Homes on a feeder: each (bus, phase) with spot or distributed load gets homes in proportion to that
 * load's apparent power, as TESP populates a feeder; which home goes where is drawn from the seed. A delta
 * load's branch counts half for each of its two phases; a distributed load counts half at each end.
 */
import { SeededRandom } from '../../core/random.js';
import type { Network, Phase, PhasePower, ShuntConnection } from '../../grid/network.js';

export interface HomeConnection {
  readonly bus: string;
  readonly phase: Phase;
}

const NEXT: Record<Phase, Phase> = { a: 'b', b: 'c', c: 'a' };

/** Apparent power of the loads at each bus phase, kVA. */
export function loadWeights(network: Network): Map<string, number> {
  const weights = new Map<string, number>();
  const add = (bus: string, phase: Phase, kva: number): void => {
    const key = `${bus}.${phase}`;
    weights.set(key, (weights.get(key) ?? 0) + kva);
  };
  const addPowers = (
    bus: string,
    connection: ShuntConnection,
    powers: readonly PhasePower[],
    share: number,
  ) => {
    for (const power of powers) {
      const kva = Math.hypot(power.pKw, power.qKvar) * share;
      if (kva <= 0) continue;
      if (connection === 'delta') {
        add(bus, power.phase, kva / 2);
        add(bus, NEXT[power.phase], kva / 2);
      } else {
        add(bus, power.phase, kva);
      }
    }
  };
  for (const load of network.loads) addPowers(load.bus, load.connection, load.phasePowers, 1);
  const linesByName = new Map(network.lines.map((line) => [line.name, line]));
  for (const load of network.distributedLoads) {
    const line = linesByName.get(load.line);
    if (line === undefined) continue;
    addPowers(line.from, load.connection, load.phasePowers, 0.5);
    addPowers(line.to, load.connection, load.phasePowers, 0.5);
  }
  // A delta branch can name a phase the bus does not have only if the data is wrong; keep real phases.
  const phasesOf = new Map(network.buses.map((bus) => [bus.name, new Set(bus.phases)]));
  for (const key of [...weights.keys()]) {
    const [bus = '', phase = 'a'] = key.split('.') as [string, Phase];
    if (phasesOf.get(bus)?.has(phase) !== true) weights.delete(key);
  }
  return weights;
}

/**
 * Connections for `homes` homes, by largest remainder so the counts are exact and proportional.
 * Throws nothing: a feeder without loads spreads homes evenly over the phases of non-source buses.
 */
export function placeHomes(network: Network, homes: number, rng: SeededRandom): HomeConnection[] {
  let weights = loadWeights(network);
  if (weights.size === 0) {
    weights = new Map(
      network.buses
        .filter((bus) => bus.name !== network.source.bus)
        .flatMap((bus) => bus.phases.map((phase) => [`${bus.name}.${phase}`, 1] as const)),
    );
  }
  const keys = [...weights.keys()].sort();
  const total = keys.reduce((sum, key) => sum + (weights.get(key) ?? 0), 0);
  const exact = keys.map((key) => ((weights.get(key) ?? 0) / total) * homes);
  const counts = exact.map(Math.floor);
  const order = exact.map((value, index) => ({ index, remainder: value - Math.floor(value) }));
  order.sort((p, q) => q.remainder - p.remainder || p.index - q.index);
  let missing = homes - counts.reduce((a, b) => a + b, 0);
  for (const { index } of order) {
    if (missing-- <= 0) break;
    counts[index] = (counts[index] ?? 0) + 1;
  }
  const connections: HomeConnection[] = [];
  keys.forEach((key, index) => {
    const [bus = '', phase = 'a'] = key.split('.') as [string, Phase];
    for (let k = 0; k < (counts[index] ?? 0); k++) connections.push({ bus, phase });
  });
  return rng.shuffle(connections);
}

/**
 * Where a scenario's homes sit: the placement has its own stream of the seed, so the simulator's runs and
 * the live demo put home k on the same bus phase.
 */
export function scenarioHomePlacement(network: Network, homes: number, seed: number): HomeConnection[] {
  return placeHomes(network, homes, new SeededRandom(seed).fork(0xfeed));
}
