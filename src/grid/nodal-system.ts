/**
 * The sparse nodal admittance system of a prepared network: branch primitives, the partition into
 * source nodes (voltage known) and free nodes, Y_ff factorised once (and again only when a regulator tap
 * changes), and Y_fs / Y_sf kept as sparse lists for the right-hand side and the source currents.
 */
import type { BranchPrimitive } from './branch-admittance.js';
import {
  linePrimitive,
  regulatorPrimitive,
  switchPrimitive,
  transformerPrimitive,
} from './branch-admittance.js';
import type { Phase } from './network.js';
import { phaseIndex } from './network.js';
import type { PreparedNetwork } from './network-preparation.js';
import { SparseLu } from './sparse-lu.js';

export interface Coupling {
  /** Sparse list of entries (row, col, value). */
  readonly rows: Int32Array;
  readonly cols: Int32Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
}

export class NodalSystem {
  readonly branches: BranchPrimitive[];
  readonly isSource: Uint8Array;
  /** Free node number → position in the reduced system, or -1 for source nodes. */
  readonly freeIndex: Int32Array;
  readonly freeNodes: Int32Array;
  readonly lu: SparseLu;
  /** Off-diagonal structure of Y_ff, free indices, each pair once (Newton's Jacobian reuses it). */
  readonly patternEdges: readonly (readonly [number, number])[];
  /** Y(free, free) entries in free indices (for residuals and Newton's Jacobian), Y(free, source) and
   * Y(source, all) entries, rebuilt with the matrix. */
  freeFree!: Coupling;
  freeSource!: Coupling;
  sourceAll!: Coupling;
  private readonly regulatorBranch: Map<string, number>;

  constructor(
    private readonly prepared: PreparedNetwork,
    tapSteps: ReadonlyMap<string, readonly number[]>,
  ) {
    const network = prepared.network;
    const node = (bus: string, phase: Phase): number => prepared.nodeOf.get(bus)?.[phaseIndex(phase)] ?? -1;
    const kv = (bus: string): number => prepared.nominalKvLL.get(bus) ?? network.source.kvLL;
    this.branches = [
      ...network.lines.map((l) => linePrimitive(l, node)),
      ...network.transformers.map((t) => transformerPrimitive(t, node)),
      ...network.switches.filter((s) => s.closed).map((s) => switchPrimitive(s, kv(s.from), node)),
    ];
    this.regulatorBranch = new Map();
    for (const r of network.regulators) {
      this.regulatorBranch.set(r.name, this.branches.length);
      this.branches.push(regulatorPrimitive(r, tapSteps.get(r.name) ?? r.tapSteps, kv(r.from), node));
    }
    const n = prepared.nodeCount;
    this.isSource = new Uint8Array(n);
    const sourceNodes = prepared.nodeOf.get(network.source.bus) ?? new Int32Array([-1, -1, -1]);
    for (const s of sourceNodes) if (s >= 0) this.isSource[s] = 1;
    this.freeIndex = new Int32Array(n).fill(-1);
    const free: number[] = [];
    for (let i = 0; i < n; i++) if (this.isSource[i] === 0) this.freeIndex[i] = free.push(i) - 1;
    this.freeNodes = Int32Array.from(free);
    const edges: [number, number][] = [];
    for (const b of this.branches) {
      for (const i of b.nodes) {
        for (const j of b.nodes) {
          const fi = i >= 0 ? this.freeIndex[i]! : -1;
          const fj = j >= 0 ? this.freeIndex[j]! : -1;
          if (fi >= 0 && fj >= 0 && fi < fj) edges.push([fi, fj]);
        }
      }
    }
    this.patternEdges = edges;
    this.lu = new SparseLu({ size: free.length, edges });
  }

  /** Assemble and factorise; false when the matrix is singular. */
  assemble(): boolean {
    this.lu.clear();
    for (let f = 0; f < this.freeNodes.length; f++) this.lu.add(f, f, 0, 0);
    const ff: number[][] = [[], [], [], []];
    const fs: number[][] = [[], [], [], []];
    const sa: number[][] = [[], [], [], []];
    for (const b of this.branches) {
      const m = b.nodes.length;
      for (let a = 0; a < m; a++) {
        const i = b.nodes[a]!;
        if (i < 0) continue;
        for (let c = 0; c < m; c++) {
          const j = b.nodes[c]!;
          if (j < 0) continue;
          const re = b.yRe[a * m + c]!;
          const im = b.yIm[a * m + c]!;
          if (re === 0 && im === 0) continue;
          const fi = this.freeIndex[i]!;
          const fj = this.freeIndex[j]!;
          if (fi >= 0 && fj >= 0) {
            this.lu.add(fi, fj, re, im);
            pushEntry(ff, fi, fj, re, im);
          } else if (fi >= 0) pushEntry(fs, fi, j, re, im);
          else pushEntry(sa, i, j, re, im);
        }
      }
    }
    this.freeFree = toCoupling(ff);
    this.freeSource = toCoupling(fs);
    this.sourceAll = toCoupling(sa);
    return this.lu.factorize();
  }

  /** Replace one regulator's taps (call `assemble` afterwards). */
  setRegulatorTaps(name: string, tapSteps: readonly number[]): void {
    const index = this.regulatorBranch.get(name);
    if (index === undefined) return;
    const regulator = this.prepared.network.regulators.find((r) => r.name === name)!;
    const node = (bus: string, phase: Phase): number =>
      this.prepared.nodeOf.get(bus)?.[phaseIndex(phase)] ?? -1;
    const kv = this.prepared.nominalKvLL.get(regulator.from) ?? this.prepared.network.source.kvLL;
    this.branches[index] = regulatorPrimitive(regulator, tapSteps, kv, node);
  }

  regulatorBranchOf(name: string): BranchPrimitive | undefined {
    const index = this.regulatorBranch.get(name);
    return index === undefined ? undefined : this.branches[index];
  }
}

function pushEntry(lists: number[][], row: number, col: number, re: number, im: number): void {
  lists[0]!.push(row);
  lists[1]!.push(col);
  lists[2]!.push(re);
  lists[3]!.push(im);
}

function toCoupling(lists: number[][]): Coupling {
  return {
    rows: Int32Array.from(lists[0]!),
    cols: Int32Array.from(lists[1]!),
    re: Float64Array.from(lists[2]!),
    im: Float64Array.from(lists[3]!),
  };
}
