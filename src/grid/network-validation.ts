/**
 * Checks of a network before it is solved: every element names known buses and phases the bus has,
 * ratings are positive and finite, and every bus is reachable from the source through closed elements.
 * Each problem is a coded error naming the element, so a reader can report all of them at once.
 */
import { TeError } from '../core/errors.js';
import type { Bus, Network, Phase } from './network.js';

interface Connection {
  readonly kind: string;
  readonly name: string;
  readonly from: string;
  readonly to: string;
  readonly phases: readonly Phase[];
  readonly closed: boolean;
}

export function validateNetwork(network: Network): TeError[] {
  const errors: TeError[] = [];
  const buses = new Map<string, Bus>();
  for (const bus of network.buses) {
    if (buses.has(bus.name)) errors.push(topology(`bus ${bus.name}`, 'is defined twice'));
    buses.set(bus.name, bus);
    if (bus.nominalKvLL !== undefined) positive(errors, `bus ${bus.name}`, 'nominalKvLL', bus.nominalKvLL);
  }
  const checkBusPhases = (where: string, busName: string, phases: readonly Phase[]): void => {
    const bus = buses.get(busName);
    if (bus === undefined) {
      errors.push(topology(where, `names unknown bus '${busName}'`));
      return;
    }
    for (const phase of phases) {
      if (!bus.phases.includes(phase)) {
        errors.push(topology(where, `uses phase ${phase}, which bus '${busName}' does not have`));
      }
    }
  };

  const connections: Connection[] = [
    ...network.lines.map((e) => ({ ...e, kind: 'line', closed: true })),
    ...network.transformers.map((e) => ({ ...e, kind: 'transformer', closed: true })),
    ...network.regulators.map((e) => ({ ...e, kind: 'regulator', closed: true })),
    ...network.switches.map((e) => ({ ...e, kind: 'switch' })),
  ];
  for (const c of connections) {
    const where = `${c.kind} ${c.name}`;
    if (c.phases.length === 0) errors.push(topology(where, 'has no phases'));
    if (c.from === c.to) errors.push(topology(where, `connects bus '${c.from}' to itself`));
    checkBusPhases(where, c.from, c.phases);
    checkBusPhases(where, c.to, c.phases);
  }
  for (const t of network.transformers) {
    const where = `transformer ${t.name}`;
    positive(errors, where, 'kvHigh', t.kvHigh);
    positive(errors, where, 'kvLow', t.kvLow);
    positive(errors, where, 'kva', t.kva);
    if (!(Math.hypot(t.resistancePu, t.reactancePu) > 0)) {
      errors.push(parameter(where, 'has zero leakage impedance', 'give resistancePu or reactancePu > 0'));
    }
    if (t.phases.length !== 3 && (t.connectionHigh === 'delta' || t.connectionLow === 'delta')) {
      errors.push(parameter(where, 'is delta-connected on fewer than three phases', 'use three phases'));
    }
  }
  for (const r of network.regulators) {
    const where = `regulator ${r.name}`;
    const limit = r.maxTapSteps ?? 16;
    r.tapSteps.forEach((tap, i) => {
      if (!Number.isInteger(tap) || Math.abs(tap) > limit) {
        errors.push(parameter(`${where} tap ${i + 1}`, `tap ${tap} is not an integer within ±${limit}`));
      }
    });
    if (r.control !== undefined) {
      positive(errors, where, 'ptRatio', r.control.ptRatio);
      positive(errors, where, 'ctRatingA', r.control.ctRatingA);
      positive(errors, where, 'bandwidthV', r.control.bandwidthV);
    }
  }
  for (const l of network.lines) {
    const values = [...l.seriesImpedanceOhm.re, ...l.seriesImpedanceOhm.im, ...l.shuntAdmittanceS.re];
    if (!values.every(Number.isFinite))
      errors.push(parameter(`line ${l.name}`, 'has a non-finite impedance'));
  }
  for (const load of network.loads) {
    checkShunt(errors, `load ${load.name}`, load.connection, load.phasePowers, checkBusPhases, load.bus);
  }
  for (const cap of network.capacitors) {
    const phases = cap.phaseKvar.map((p) => ({ phase: p.phase, pKw: 0, qKvar: p.kvar }));
    checkShunt(errors, `capacitor ${cap.name}`, cap.connection, phases, checkBusPhases, cap.bus);
  }
  for (const inj of network.injections) {
    checkShunt(errors, `injection ${inj.name}`, 'wye', inj.phasePowers, checkBusPhases, inj.bus);
  }
  const lineNames = new Set(network.lines.map((l) => l.name));
  for (const d of network.distributedLoads) {
    if (!lineNames.has(d.line))
      errors.push(topology(`distributed load ${d.name}`, `names unknown line '${d.line}'`));
  }
  positive(errors, 'source', 'kvLL', network.source.kvLL);
  if (!buses.has(network.source.bus))
    errors.push(topology('source', `names unknown bus '${network.source.bus}'`));
  else errors.push(...islands(network, buses, connections));
  return errors;
}

function checkShunt(
  errors: TeError[],
  where: string,
  connection: 'wye' | 'delta',
  powers: readonly { phase: Phase; pKw: number; qKvar: number }[],
  checkBusPhases: (where: string, bus: string, phases: readonly Phase[]) => void,
  bus: string,
): void {
  const next: Record<Phase, Phase> = { a: 'b', b: 'c', c: 'a' };
  const phases = powers.flatMap((p) => (connection === 'delta' ? [p.phase, next[p.phase]] : [p.phase]));
  checkBusPhases(where, bus, [...new Set(phases)]);
  for (const p of powers) {
    if (!Number.isFinite(p.pKw) || !Number.isFinite(p.qKvar)) {
      errors.push(parameter(`${where} phase ${p.phase}`, 'has a non-finite power'));
    }
  }
}

/** Buses that no path of closed elements joins to the source. */
function islands(network: Network, buses: Map<string, Bus>, connections: readonly Connection[]): TeError[] {
  const adjacency = new Map<string, string[]>();
  for (const c of connections) {
    if (!c.closed) continue;
    adjacency.set(c.from, [...(adjacency.get(c.from) ?? []), c.to]);
    adjacency.set(c.to, [...(adjacency.get(c.to) ?? []), c.from]);
  }
  const seen = new Set([network.source.bus]);
  const stack = [network.source.bus];
  while (stack.length > 0) {
    for (const next of adjacency.get(stack.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        stack.push(next);
      }
    }
  }
  // Buses cut off with nothing attached (e.g. the far side of an open tie switch) are merely
  // de-energised; a cut-off bus that serves a load, capacitor or injection is an error.
  const served = new Set([
    ...network.loads.map((l) => l.bus),
    ...network.capacitors.map((c) => c.bus),
    ...network.injections.map((i) => i.bus),
    ...network.distributedLoads.flatMap((d) => {
      const line = network.lines.find((l) => l.name === d.line);
      return line === undefined ? [] : [line.from, line.to];
    }),
  ]);
  const cut = [...buses.keys()].filter((name) => !seen.has(name) && served.has(name));
  if (cut.length === 0) return [];
  return [
    topology(
      `bus ${cut[0]}`,
      `${cut.length} bus(es) with loads are not connected to the source: ${cut.slice(0, 10).join(', ')}${cut.length > 10 ? ', …' : ''}`,
      'connect them through a closed line, switch, transformer or regulator, or remove them',
    ),
  ];
}

function positive(errors: TeError[], where: string, field: string, value: number): void {
  if (!(Number.isFinite(value) && value > 0)) {
    errors.push(parameter(where, `${field} must be a positive number, got ${value}`));
  }
}

function topology(path: string, message: string, hint?: string): TeError {
  return new TeError('TE_ERR_GRID_TOPOLOGY', message, {
    path,
    hint: hint ?? 'check the element against the bus list',
  });
}

function parameter(path: string, message: string, hint?: string): TeError {
  return new TeError('TE_ERR_GRID_PARAMETER', message, { path, ...(hint === undefined ? {} : { hint }) });
}
