/**
 * An independent radial power flow for cross-checking the solver (test support, not product code):
 * Kersting's backward/forward sweep ("modified ladder", Distribution System Modeling and Analysis,
 * ch. 6–10) with the generalised matrices of every series element,
 *   V_m = a·V_n + b·I_n,   I_m = c·V_n + d·I_n   (m the upstream end, n the downstream end),
 *   V_n = A·V_m − B·I_n    (forward sweep),
 * for lines (exact pi model: a = U + ½ZY, b = Z, c = Y + ¼YZY, d = U + ½YZ), grounded-wye/grounded-wye
 * transformers (a = n_t·U, b = n_t·Z_t, c = 0, d = U/n_t, A = U/n_t, B = Z_t), step regulators with
 * fixed taps (V_n = (1 + 0.00625·tap)·V_m per phase) and closed switches (ideal: a = d = A = U).
 * It shares nothing with the solver but the `Network` input: no admittance matrix, its own load models,
 * its own nominal voltages and its own lumping of distributed loads (half at each end of the line; other
 * lumpings and other transformer connections are refused rather than approximated).
 */
import type { Network, PhasePower } from '../../src/grid/network.js';
import { addLoadCurrent, type ShuntLoad } from './kersting-load-models.js';
import {
  add3x3,
  type C3,
  type C3x3,
  diagonal3x3,
  fromParts,
  identity3x3,
  invert3x3,
  multiply3x3,
  multiplyVector,
  zeros3,
  zeros3x3,
} from './complex-3x3.js';

interface Element {
  readonly name: string;
  readonly parent: number;
  readonly child: number;
  readonly c: C3x3;
  readonly d: C3x3;
  readonly A: C3x3;
  readonly B: C3x3;
}

export interface SweepResult {
  readonly iterations: number;
  /** Line-to-neutral volts per bus (phases a, b, c; absent phases are zero). */
  readonly voltages: ReadonlyMap<string, C3>;
  /** Current entering each series element at its upstream end, amperes. */
  readonly currents: ReadonlyMap<string, C3>;
}

export function backwardForwardSweep(
  network: Network,
  tolerancePu = 1e-12,
  maxIterations = 500,
): SweepResult {
  const names = network.buses.map((b) => b.name);
  const index = new Map(names.map((n, i) => [n, i]));
  const bus = (name: string): number => {
    const i = index.get(name);
    if (i === undefined) throw new Error(`unknown bus ${name}`);
    return i;
  };
  // Undirected adjacency with each element's generalised matrices for its own orientation.
  const edges: {
    name: string;
    from: number;
    to: number;
    build: () => Omit<Element, 'name' | 'parent' | 'child'>;
    directed: boolean;
  }[] = [];
  for (const line of network.lines) {
    edges.push({
      name: line.name,
      from: bus(line.from),
      to: bus(line.to),
      directed: false,
      build: () => lineMatrices(line.seriesImpedanceOhm, line.shuntAdmittanceS),
    });
  }
  for (const t of network.transformers) {
    if (t.connectionHigh !== 'wye-grounded' || t.connectionLow !== 'wye-grounded')
      throw new Error(`the sweep models grounded-wye/grounded-wye transformers only (${t.name})`);
    const ratio = t.kvHigh / t.kvLow;
    const zBase = (t.kvLow * 1000) ** 2 / (t.kva * 1000);
    const zt = diagonal3x3(
      [1, 1, 1].map(() => t.resistancePu * zBase),
      [1, 1, 1].map(() => t.reactancePu * zBase),
    );
    edges.push({
      name: t.name,
      from: bus(t.from),
      to: bus(t.to),
      directed: true,
      build: () => ({ c: zeros3x3(), d: identity3x3(1 / ratio), A: identity3x3(1 / ratio), B: zt }),
    });
  }
  for (const r of network.regulators) {
    if (r.control !== undefined) throw new Error(`the sweep models fixed taps only (${r.name})`);
    const n = [0, 1, 2].map((p) => 1 + (r.stepPu ?? 0.00625) * r.tapSteps[p]!);
    edges.push({
      name: r.name,
      from: bus(r.from),
      to: bus(r.to),
      directed: true,
      build: () => ({ c: zeros3x3(), d: diagonal3x3(n), A: diagonal3x3(n), B: zeros3x3() }),
    });
  }
  for (const s of network.switches) {
    if (!s.closed) continue; // open switches are removed: the feeder must stay radial without them
    edges.push({
      name: s.name,
      from: bus(s.from),
      to: bus(s.to),
      directed: false,
      build: () => ({ c: zeros3x3(), d: identity3x3(), A: identity3x3(), B: zeros3x3() }),
    });
  }
  // Orient the tree from the source: breadth-first order, parents before children.
  const around: number[][] = names.map(() => []);
  edges.forEach((e, k) => {
    around[e.from]!.push(k);
    around[e.to]!.push(k);
  });
  const source = bus(network.source.bus);
  const order = [source];
  const seen = new Uint8Array(names.length);
  seen[source] = 1;
  const elements: Element[] = [];
  const upstream: (Element | undefined)[] = names.map(() => undefined);
  for (let head = 0; head < order.length; head++) {
    const m = order[head]!;
    for (const k of around[m]!) {
      const e = edges[k]!;
      const n = e.from === m ? e.to : e.from;
      if (seen[n] === 1) {
        if (upstream[m]?.name !== e.name)
          throw new Error(`the network is not radial (loop through ${e.name})`);
        continue;
      }
      if (e.directed && e.from !== m) throw new Error(`${e.name} is fed from its low side`);
      seen[n] = 1;
      order.push(n);
      const element = { name: e.name, parent: m, child: n, ...e.build() };
      elements.push(element);
      upstream[n] = element;
    }
  }
  // Nominal voltages from the source through the transformer ratios (a bus's own value wins).
  const nominalKvLL = new Float64Array(names.length);
  for (const b of order) {
    const given = network.buses[b]!.nominalKvLL;
    const up = upstream[b];
    const t = up === undefined ? undefined : network.transformers.find((x) => x.name === up.name);
    nominalKvLL[b] =
      given ??
      (up === undefined
        ? network.source.kvLL
        : nominalKvLL[up.parent]! * (t === undefined ? 1 : t.kvLow / t.kvHigh));
  }
  const loads: ShuntLoad[] = [];
  const addLoad = (
    busName: string,
    connection: 'wye' | 'delta',
    model: readonly [number, number, number],
    powers: readonly PhasePower[],
    kvLL?: number,
  ): void => {
    const b = bus(busName);
    const kv = kvLL ?? nominalKvLL[b]!;
    loads.push({
      bus: b,
      delta: connection === 'delta',
      model,
      powers,
      nominalV: (kv * 1000) / (connection === 'delta' ? 1 : Math.sqrt(3)),
    });
  };
  const zip = (
    m: string,
    z?: { power: number; current: number; impedance: number },
  ): [number, number, number] =>
    m === 'constant-power'
      ? [1, 0, 0]
      : m === 'constant-current'
        ? [0, 1, 0]
        : m === 'constant-impedance'
          ? [0, 0, 1]
          : [z?.power ?? 1, z?.current ?? 0, z?.impedance ?? 0];
  for (const l of network.loads)
    addLoad(l.bus, l.connection, zip(l.model, l.zip), l.phasePowers, l.nominalKvLL);
  for (const d of network.distributedLoads) {
    if ((d.lumping ?? 'kersting-exact') !== 'half-each-end')
      throw new Error('the sweep lumps distributed loads half at each end only');
    const line = network.lines.find((l) => l.name === d.line)!;
    const half = d.phasePowers.map((p) => ({ phase: p.phase, pKw: p.pKw / 2, qKvar: p.qKvar / 2 }));
    for (const end of [line.from, line.to])
      addLoad(end, d.connection, zip(d.model, d.zip), half, d.nominalKvLL);
  }
  for (const cap of network.capacitors) {
    if (cap.closed === false) continue;
    const powers = cap.phaseKvar.map((k) => ({ phase: k.phase, pKw: 0, qKvar: -k.kvar }));
    addLoad(cap.bus, cap.connection, [0, 0, 1], powers, cap.ratedKvLL);
  }
  for (const inj of network.injections) addLoad(inj.bus, 'wye', [1, 0, 0], inj.phasePowers);

  const v = names.map(() => zeros3());
  const vPu = network.source.vPu ?? [1, 1, 1];
  const angle0 = ((network.source.angleDeg ?? 0) * Math.PI) / 180;
  for (let p = 0; p < 3; p++) {
    const magnitude = ((network.source.kvLL * 1000) / Math.sqrt(3)) * vPu[p]!;
    v[source]!.re[p] = magnitude * Math.cos(angle0 - (2 * Math.PI * p) / 3);
    v[source]!.im[p] = magnitude * Math.sin(angle0 - (2 * Math.PI * p) / 3);
  }
  const nodeCurrent = names.map(() => zeros3()); // I_n: current into each bus from its upstream element
  const elementCurrent = new Map(elements.map((e) => [e.name, zeros3()]));
  const next = zeros3();
  forward(elements, v, nodeCurrent, next); // no-load start
  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    // Backward sweep: load currents at the present voltages, summed towards the source.
    for (const current of nodeCurrent) {
      current.re.fill(0);
      current.im.fill(0);
    }
    for (const load of loads) addLoadCurrent(load, v[load.bus]!, nodeCurrent[load.bus]!);
    for (let k = elements.length - 1; k >= 0; k--) {
      const e = elements[k]!;
      const im = elementCurrent.get(e.name)!;
      multiplyVector(e.c, v[e.child]!, im);
      multiplyVector(e.d, nodeCurrent[e.child]!, im, true);
      for (let p = 0; p < 3; p++) {
        nodeCurrent[e.parent]!.re[p]! += im.re[p]!;
        nodeCurrent[e.parent]!.im[p]! += im.im[p]!;
      }
    }
    // Forward sweep: V_n = A·V_m − B·I_n from the source out.
    const change = forward(elements, v, nodeCurrent, next, nominalKvLL);
    if (change < tolerancePu)
      return {
        iterations: iteration,
        voltages: new Map(names.map((n, i) => [n, v[i]!])),
        currents: elementCurrent,
      };
  }
  throw new Error(`the sweep did not converge in ${maxIterations} iterations`);
}

function forward(
  elements: readonly Element[],
  v: C3[],
  current: readonly C3[],
  next: C3,
  kvLL?: Float64Array,
): number {
  let change = 0;
  for (const e of elements) {
    multiplyVector(e.A, v[e.parent]!, next);
    multiplyVector(e.B, current[e.child]!, next, true, -1);
    const baseV = kvLL === undefined ? 1 : (kvLL[e.child]! * 1000) / Math.sqrt(3);
    for (let p = 0; p < 3; p++) {
      change = Math.max(
        change,
        Math.hypot(next.re[p]! - v[e.child]!.re[p]!, next.im[p]! - v[e.child]!.im[p]!) / baseV,
      );
      v[e.child]!.re[p] = next.re[p]!;
      v[e.child]!.im[p] = next.im[p]!;
    }
  }
  return change;
}

function lineMatrices(
  z: { re: readonly number[]; im: readonly number[] },
  y: { re: readonly number[]; im: readonly number[] },
): Omit<Element, 'name' | 'parent' | 'child'> {
  const Z = fromParts(z.re, z.im);
  const Y = fromParts(y.re, y.im);
  const a = add3x3(identity3x3(), multiply3x3(Z, Y), 0.5);
  const c = add3x3(Y, multiply3x3(multiply3x3(Y, Z), Y), 0.25);
  const d = add3x3(identity3x3(), multiply3x3(Y, Z), 0.5);
  const A = invert3x3(a);
  return { c, d, A, B: multiply3x3(A, Z) };
}
