/**
 * Newton's method on the current-injection equations, the solver's fallback when the fixed point fails
 * (heavy load near the nose of the PV curve, large DER injections). The residual
 *   R(V) = Y_ff · V_f + Y_fs · V_s − I_shunt(V)
 * is not complex-analytic in V (a constant-power load draws conj(S / V)), so its derivative has a part
 * in V and a part in conj(V): dR = J · dV + K · conj(dV). Instead of splitting into real and imaginary
 * parts (whose diagonal pivots can vanish for lossless branches) the step solves the equivalent complex
 * system in (dV, conj dV) with the same sparse LU:
 *   [ J        K       ] [ dV      ]     [ R       ]
 *   [ conj(K)  conj(J) ] [ conj dV ] = − [ conj(R) ],
 * whose diagonal is Y_ii plus the load's own derivative, as dominant as in the fixed point, so the LU's
 * diagonal pivots stay safe. For a shunt drawing D = conj(S)·V·φ(|V|²) on branch voltage V,
 *   ∂D/∂V = conj(S)·(fI / (2·Vn·|V|) + fZ / Vn²),   ∂D/∂conj(V) = −conj(S)·V²·(fP / |V|⁴ + fI / (2·Vn·|V|³)).
 * Floating neutrals (wye loads behind a delta winding) are re-placed with every residual but held fixed
 * in the Jacobian, which makes the step inexact there (convergence slows to linear in such zones, it
 * does not fail). A step that raises the residual is halved, up to eight times.
 */
import type { IterationOutcome } from './fixed-point-iteration.js';
import type { NodalSystem } from './nodal-system.js';
import type { PreparedNetwork } from './network-preparation.js';
import { nodalResidual } from './power-mismatch.js';
import type { ShuntBranches } from './shunt-elements.js';
import { SparseLu } from './sparse-lu.js';

export class NewtonCurrentInjection {
  private lu: SparseLu | null = null;
  private readonly size: number;
  private readonly rRe: Float64Array;
  private readonly rIm: Float64Array;
  private readonly xRe: Float64Array;
  private readonly xIm: Float64Array;
  private readonly iRe: Float64Array;
  private readonly iIm: Float64Array;
  private readonly saveRe: Float64Array;
  private readonly saveIm: Float64Array;

  constructor(
    private readonly prepared: PreparedNetwork,
    private readonly system: NodalSystem,
    private readonly shunts: ShuntBranches,
  ) {
    this.size = system.freeNodes.length;
    this.rRe = new Float64Array(this.size);
    this.rIm = new Float64Array(this.size);
    this.xRe = new Float64Array(2 * this.size);
    this.xIm = new Float64Array(2 * this.size);
    this.iRe = new Float64Array(prepared.nodeCount);
    this.iIm = new Float64Array(prepared.nodeCount);
    this.saveRe = new Float64Array(prepared.nodeCount);
    this.saveIm = new Float64Array(prepared.nodeCount);
  }

  run(
    vRe: Float64Array,
    vIm: Float64Array,
    tolerancePu: number,
    maxIterations: number,
    loadScale: number,
  ): IterationOutcome {
    const n = this.size;
    const free = this.system.freeNodes;
    const base = this.prepared.nodeBaseV;
    const lu = this.lu ?? (this.lu = new SparseLu({ size: 2 * n, edges: this.pattern() }));
    let norm = this.residualNorm(vRe, vIm, loadScale);
    let changePu = Infinity;
    for (let iteration = 1; iteration <= maxIterations; iteration++) {
      this.assembleJacobian(lu, vRe, vIm, loadScale);
      if (!lu.factorize()) {
        return {
          converged: false,
          iterations: iteration,
          changePu,
          reason:
            "Newton's Jacobian is singular (the voltage collapsed: the load is beyond the feeder's limit)",
        };
      }
      for (let f = 0; f < n; f++) {
        this.xRe[f] = -this.rRe[f]!;
        this.xIm[f] = -this.rIm[f]!;
        this.xRe[n + f] = -this.rRe[f]!;
        this.xIm[n + f] = this.rIm[f]!;
      }
      lu.solve(this.xRe, this.xIm);
      this.saveRe.set(vRe);
      this.saveIm.set(vIm);
      let factor = 1;
      let next = Infinity;
      for (let halving = 0; halving <= 8; halving++, factor /= 2) {
        changePu = 0;
        for (let f = 0; f < n; f++) {
          const node = free[f]!;
          const dr = factor * this.xRe[f]!;
          const di = factor * this.xIm[f]!;
          vRe[node] = this.saveRe[node]! + dr;
          vIm[node] = this.saveIm[node]! + di;
          const change = Math.sqrt(dr * dr + di * di) / base[node]!;
          if (change > changePu) changePu = change;
        }
        next = this.residualNorm(vRe, vIm, loadScale);
        if (next < norm) break;
      }
      if (!Number.isFinite(next)) {
        return {
          converged: false,
          iterations: iteration,
          changePu,
          reason: "Newton's method ran into non-finite voltages (the load is beyond the feeder's limit)",
        };
      }
      norm = next;
      if (changePu < tolerancePu) return { converged: true, iterations: iteration, changePu, reason: '' };
    }
    return {
      converged: false,
      iterations: maxIterations,
      changePu,
      reason: `Newton's method did not converge in ${maxIterations} iterations (last change ${changePu.toExponential(2)} pu): no solution, the load is beyond the feeder's limit`,
    };
  }

  /** Residual into rRe/rIm; returns max |R_f| scaled by the node's nominal voltage (VA). */
  private residualNorm(vRe: Float64Array, vIm: Float64Array, loadScale: number): number {
    const { system, shunts, iRe, iIm, rRe, rIm } = this;
    nodalResidual(system, shunts, vRe, vIm, loadScale, iRe, iIm, rRe, rIm);
    const free = system.freeNodes;
    let worst = 0;
    for (let f = 0; f < free.length; f++) {
      const va = Math.sqrt(rRe[f]! * rRe[f]! + rIm[f]! * rIm[f]!) * this.prepared.nodeBaseV[free[f]!]!;
      if (!(va <= worst)) worst = va;
    }
    return worst;
  }

  /** Y_ff's pattern in both blocks, plus each shunt's coupling of its nodes to their conjugates. */
  private pattern(): [number, number][] {
    const n = this.size;
    const edges: [number, number][] = [];
    for (const [i, j] of this.system.patternEdges) edges.push([i, j], [n + i, n + j]);
    for (let f = 0; f < n; f++) edges.push([f, n + f]);
    const index = this.system.freeIndex;
    const { fromNode, toNode } = this.shunts;
    for (let k = 0; k < this.shunts.count; k++) {
      const p = index[fromNode[k]!]!;
      const q = toNode[k]! >= 0 ? index[toNode[k]!]! : -1;
      if (p >= 0 && q >= 0) edges.push([p, q], [n + p, n + q], [p, n + q], [q, n + p]);
    }
    return edges;
  }

  private assembleJacobian(lu: SparseLu, vRe: Float64Array, vIm: Float64Array, loadScale: number): void {
    const n = this.size;
    lu.clear();
    const y = this.system.freeFree;
    for (let k = 0; k < y.rows.length; k++) {
      const i = y.rows[k]!;
      const j = y.cols[k]!;
      lu.add(i, j, y.re[k]!, y.im[k]!);
      lu.add(n + i, n + j, y.re[k]!, -y.im[k]!);
    }
    const s = this.shunts;
    const index = this.system.freeIndex;
    for (let k = 0; k < s.count; k++) {
      if (s.active[k] === 0) continue;
      const pNode = s.fromNode[k]!;
      const qNode = s.toNode[k]!;
      const g = s.neutralGroup[k]!;
      const br = vRe[pNode]! - (qNode >= 0 ? vRe[qNode]! : g >= 0 ? s.neutralRe[g]! : 0);
      const bi = vIm[pNode]! - (qNode >= 0 ? vIm[qNode]! : g >= 0 ? s.neutralIm[g]! : 0);
      const u = br * br + bi * bi;
      if (u === 0) continue;
      const m = Math.sqrt(u);
      const vn = s.nominalV[k]!;
      const scale = s.role[k] === 0 ? loadScale : 1;
      const cRe = s.sRe[k]! * scale; // conj(S)
      const cIm = -s.sIm[k]! * scale;
      const a = s.fractionI[k]! / (2 * vn * m) + s.fractionZ[k]! / (vn * vn);
      const bScale = -(s.fractionP[k]! / (u * u) + s.fractionI[k]! / (2 * vn * m * u));
      const v2Re = br * br - bi * bi;
      const v2Im = 2 * br * bi;
      const alphaRe = cRe * a;
      const alphaIm = cIm * a;
      const betaRe = (cRe * v2Re - cIm * v2Im) * bScale;
      const betaIm = (cRe * v2Im + cIm * v2Re) * bScale;
      const p = index[pNode]!;
      const q = qNode >= 0 ? index[qNode]! : -1;
      const terminals = [p, q];
      for (let t1 = 0; t1 < 2; t1++) {
        const row = terminals[t1]!;
        if (row < 0) continue;
        for (let t2 = 0; t2 < 2; t2++) {
          const col = terminals[t2]!;
          if (col < 0) continue;
          const sign = t1 === t2 ? 1 : -1;
          lu.add(row, col, sign * alphaRe, sign * alphaIm);
          lu.add(n + row, n + col, sign * alphaRe, -sign * alphaIm);
          lu.add(row, n + col, sign * betaRe, sign * betaIm);
          lu.add(n + row, col, sign * betaRe, -sign * betaIm);
        }
      }
    }
  }
}
