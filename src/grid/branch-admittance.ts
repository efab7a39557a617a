/**
 * Primitive nodal admittance matrices of the series elements: I = Y · V over the element's terminal
 * nodes (currents into the element). Ground terminals are dropped (their voltage is zero).
 *
 * - Line: the pi model, Y = [[Ys + Ysh/2, −Ys], [−Ys, Ys + Ysh/2]] with Ys = Z⁻¹ over its phases.
 * - Transformer: three single-phase two-winding units. Each unit's winding-voltage primitive
 *   y·[[1/a², −1/a], [−1/a, 1]] (leakage admittance y referred to the low winding, a the turns ratio)
 *   is mapped onto the nodes through the winding incidence. Delta windings follow the ANSI 30° lag
 *   (D-Y: low a with high A–C; Y-D: high A with low a–b). An ungrounded-wye neutral is an internal node
 *   eliminated exactly (Kron). Nodes of a delta or ungrounded-wye side get a grounding admittance of
 *   1e-6 × y so the matrix stays non-singular when no other path fixes their zero-sequence voltage;
 *   where the side is grounded elsewhere this changes voltages by about 1e-6 of the zero-sequence
 *   current's drop, far below any tolerance here.
 * - Regulator: per phase an ideal transformer V_to = n·V_from (n = 1 + step·tap) behind a tiny impedance.
 * - Closed switch: a tiny impedance per phase. Tiny = 1e-8 × kV² ohm (1e-8 pu on a 1 MVA base), which
 *   keeps the matrix well enough conditioned for double precision and the error below 1e-8 pu.
 */
import type { Line, Phase, Regulator, Switch, Transformer } from './network.js';
import { phaseIndex } from './network.js';
import { invertComplex } from './line-geometry.js';

export interface BranchPrimitive {
  readonly kind: 'line' | 'transformer' | 'regulator' | 'switch';
  readonly name: string;
  /** Terminal node numbers; the first `fromCount` are at the from bus. */
  readonly nodes: Int32Array;
  readonly fromCount: number;
  /** Dense row-major m×m. */
  readonly yRe: Float64Array;
  readonly yIm: Float64Array;
  /** Phase of each terminal (for reporting currents). */
  readonly phases: readonly Phase[];
}

type NodeLookup = (bus: string, phase: Phase) => number;

export function tinyImpedanceOhm(kvLL: number): number {
  return 1e-8 * kvLL * kvLL;
}

export function linePrimitive(line: Line, node: NodeLookup): BranchPrimitive {
  const phases = [...line.phases].sort();
  const m = phases.length;
  const idx = phases.map(phaseIndex);
  const [ysRe, ysIm] = invertComplex(
    idx.map((i) => idx.map((j) => line.seriesImpedanceOhm.re[3 * i + j] ?? 0)),
    idx.map((i) => idx.map((j) => line.seriesImpedanceOhm.im[3 * i + j] ?? 0)),
  );
  const size = 2 * m;
  const yRe = new Float64Array(size * size);
  const yIm = new Float64Array(size * size);
  for (let a = 0; a < m; a++) {
    for (let b = 0; b < m; b++) {
      const shRe = (line.shuntAdmittanceS.re[3 * idx[a]! + idx[b]!] ?? 0) / 2;
      const shIm = (line.shuntAdmittanceS.im[3 * idx[a]! + idx[b]!] ?? 0) / 2;
      const sRe = ysRe[a]![b]!;
      const sIm = ysIm[a]![b]!;
      yRe[a * size + b] = sRe + shRe;
      yIm[a * size + b] = sIm + shIm;
      yRe[(a + m) * size + b + m] = sRe + shRe;
      yIm[(a + m) * size + b + m] = sIm + shIm;
      yRe[a * size + b + m] = -sRe;
      yIm[a * size + b + m] = -sIm;
      yRe[(a + m) * size + b] = -sRe;
      yIm[(a + m) * size + b] = -sIm;
    }
  }
  const nodes = Int32Array.from([
    ...phases.map((p) => node(line.from, p)),
    ...phases.map((p) => node(line.to, p)),
  ]);
  return { kind: 'line', name: line.name, nodes, fromCount: m, yRe, yIm, phases: [...phases, ...phases] };
}

/** Per-phase series element with an ideal ratio n (from → to) behind admittance y: y·[[n², −n], [−n, 1]]. */
function ratioPrimitive(
  kind: 'regulator' | 'switch',
  name: string,
  from: string,
  to: string,
  phases: readonly Phase[],
  ratios: readonly number[],
  impedanceOhm: number,
  node: NodeLookup,
): BranchPrimitive {
  const sorted = [...phases].sort();
  const m = sorted.length;
  const size = 2 * m;
  const y = 1 / impedanceOhm;
  const yRe = new Float64Array(size * size);
  sorted.forEach((phase, a) => {
    const n = ratios[phaseIndex(phase)] ?? 1;
    yRe[a * size + a] = y * n * n;
    yRe[a * size + a + m] = -y * n;
    yRe[(a + m) * size + a] = -y * n;
    yRe[(a + m) * size + a + m] = y;
  });
  const nodes = Int32Array.from([...sorted.map((p) => node(from, p)), ...sorted.map((p) => node(to, p))]);
  return {
    kind,
    name,
    nodes,
    fromCount: m,
    yRe,
    yIm: new Float64Array(size * size),
    phases: [...sorted, ...sorted],
  };
}

export function regulatorPrimitive(
  regulator: Regulator,
  tapSteps: readonly number[],
  kvLL: number,
  node: NodeLookup,
): BranchPrimitive {
  const step = regulator.stepPu ?? 0.00625;
  const ratios = [0, 1, 2].map((i) => 1 + step * (tapSteps[i] ?? 0));
  const { name, from, to, phases } = regulator;
  return ratioPrimitive('regulator', name, from, to, phases, ratios, tinyImpedanceOhm(kvLL), node);
}

export function switchPrimitive(sw: Switch, kvLL: number, node: NodeLookup): BranchPrimitive {
  return ratioPrimitive(
    'switch',
    sw.name,
    sw.from,
    sw.to,
    sw.phases,
    [1, 1, 1],
    tinyImpedanceOhm(kvLL),
    node,
  );
}

export function transformerPrimitive(t: Transformer, node: NodeLookup): BranchPrimitive {
  const phases: Phase[] = ['a', 'b', 'c'];
  const highWye = t.connectionHigh !== 'delta';
  const lowWye = t.connectionLow !== 'delta';
  const vHigh = (t.kvHigh * 1000) / (highWye ? Math.sqrt(3) : 1);
  const vLow = (t.kvLow * 1000) / (lowWye ? Math.sqrt(3) : 1);
  const ratio = vHigh / vLow;
  const zBase = (vLow * vLow) / ((t.kva * 1000) / 3);
  const zRe = t.resistancePu * zBase;
  const zIm = t.reactancePu * zBase;
  const den = zRe * zRe + zIm * zIm;
  const yRe = zRe / den;
  const yIm = -zIm / den;
  // Local terminals: 0-2 high phases, 3-5 low phases, 6 high neutral, 7 low neutral, -1 ground.
  const GROUND = -1;
  const highTerminals = (k: number): [number, number] => {
    if (t.connectionHigh === 'wye-grounded') return [k, GROUND];
    if (t.connectionHigh === 'wye') return [k, 6];
    return lowWye ? [k, (k + 2) % 3] : [k, (k + 1) % 3];
  };
  const lowTerminals = (k: number): [number, number] => {
    if (t.connectionLow === 'wye-grounded') return [3 + k, GROUND];
    if (t.connectionLow === 'wye') return [3 + k, 7];
    return [3 + k, 3 + ((k + 1) % 3)];
  };
  const size = 8;
  const re = new Float64Array(size * size);
  const im = new Float64Array(size * size);
  const stamp = (p: number, q: number, sign: number, factor: number): void => {
    if (p === GROUND || q === GROUND) return;
    re[p * size + q]! += sign * factor * yRe;
    im[p * size + q]! += sign * factor * yIm;
  };
  for (let k = 0; k < 3; k++) {
    const winding = [highTerminals(k), lowTerminals(k)];
    const primitive = [
      [1 / (ratio * ratio), -1 / ratio],
      [-1 / ratio, 1],
    ];
    for (let w1 = 0; w1 < 2; w1++) {
      for (let w2 = 0; w2 < 2; w2++) {
        const factor = primitive[w1]![w2]!;
        const [p1, q1] = winding[w1]!;
        const [p2, q2] = winding[w2]!;
        stamp(p1, p2, 1, factor);
        stamp(p1, q2, -1, factor);
        stamp(q1, p2, -1, factor);
        stamp(q1, q2, 1, factor);
      }
    }
  }
  const yMag = Math.hypot(yRe, yIm) / (ratio * ratio);
  const ground = (terminal: number, scale: number): void => {
    re[terminal * size + terminal]! += 1e-6 * yMag * scale;
  };
  if (t.connectionHigh !== 'wye-grounded') for (let k = 0; k < 3; k++) ground(k, 1);
  if (t.connectionLow !== 'wye-grounded') for (let k = 3; k < 6; k++) ground(k, ratio * ratio);
  // Eliminate the internal neutrals (rows 6, 7) when they are used; unused rows are all zero.
  const keep = [0, 1, 2, 3, 4, 5];
  const internal = [6, 7].filter((i) => re[i * size + i] !== 0 || im[i * size + i] !== 0);
  const reduced = kronReduceDense(re, im, size, keep, internal);
  const nodes = Int32Array.from([...phases.map((p) => node(t.from, p)), ...phases.map((p) => node(t.to, p))]);
  return {
    kind: 'transformer',
    name: t.name,
    nodes,
    fromCount: 3,
    yRe: reduced[0],
    yIm: reduced[1],
    phases: [...phases, ...phases],
  };
}

function kronReduceDense(
  re: Float64Array,
  im: Float64Array,
  size: number,
  keep: readonly number[],
  eliminate: readonly number[],
): [Float64Array, Float64Array] {
  const m = keep.length;
  const outRe = new Float64Array(m * m);
  const outIm = new Float64Array(m * m);
  keep.forEach((i, a) =>
    keep.forEach((j, b) => {
      outRe[a * m + b] = re[i * size + j]!;
      outIm[a * m + b] = im[i * size + j]!;
    }),
  );
  if (eliminate.length === 0) return [outRe, outIm];
  const [invRe, invIm] = invertComplex(
    eliminate.map((i) => eliminate.map((j) => re[i * size + j]!)),
    eliminate.map((i) => eliminate.map((j) => im[i * size + j]!)),
  );
  keep.forEach((i, a) =>
    keep.forEach((j, b) => {
      let sRe = 0;
      let sIm = 0;
      eliminate.forEach((k, c) =>
        eliminate.forEach((l, d) => {
          const tRe = re[i * size + k]! * invRe[c]![d]! - im[i * size + k]! * invIm[c]![d]!;
          const tIm = re[i * size + k]! * invIm[c]![d]! + im[i * size + k]! * invRe[c]![d]!;
          sRe += tRe * re[l * size + j]! - tIm * im[l * size + j]!;
          sIm += tRe * im[l * size + j]! + tIm * re[l * size + j]!;
        }),
      );
      outRe[a * m + b]! -= sRe;
      outIm[a * m + b]! -= sIm;
    }),
  );
  return [outRe, outIm];
}
