/** The sparse complex LU on its own: random sparse systems against a dense solve, and singular matrices. */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../src/core/random.js';
import { SparseLu } from '../../src/grid/sparse-lu.js';

/** Dense complex Gaussian elimination with partial pivoting (the reference). */
function denseSolve(
  n: number,
  aRe: Float64Array,
  aIm: Float64Array,
  bRe: Float64Array,
  bIm: Float64Array,
): [Float64Array, Float64Array] {
  const re = Float64Array.from(aRe);
  const im = Float64Array.from(aIm);
  const xr = Float64Array.from(bRe);
  const xi = Float64Array.from(bIm);
  const swap = (a: Float64Array, i: number, j: number): void => {
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  };
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++)
      if (Math.hypot(re[i * n + k]!, im[i * n + k]!) > Math.hypot(re[p * n + k]!, im[p * n + k]!)) p = i;
    for (let j = 0; j < n; j++) {
      swap(re, k * n + j, p * n + j);
      swap(im, k * n + j, p * n + j);
    }
    swap(xr, k, p);
    swap(xi, k, p);
    const den = re[k * n + k]! ** 2 + im[k * n + k]! ** 2;
    for (let i = k + 1; i < n; i++) {
      const lr = (re[i * n + k]! * re[k * n + k]! + im[i * n + k]! * im[k * n + k]!) / den;
      const li = (im[i * n + k]! * re[k * n + k]! - re[i * n + k]! * im[k * n + k]!) / den;
      for (let j = k; j < n; j++) {
        re[i * n + j]! -= lr * re[k * n + j]! - li * im[k * n + j]!;
        im[i * n + j]! -= lr * im[k * n + j]! + li * re[k * n + j]!;
      }
      xr[i]! -= lr * xr[k]! - li * xi[k]!;
      xi[i]! -= lr * xi[k]! + li * xr[k]!;
    }
  }
  for (let k = n - 1; k >= 0; k--) {
    let sr = xr[k]!;
    let si = xi[k]!;
    for (let j = k + 1; j < n; j++) {
      sr -= re[k * n + j]! * xr[j]! - im[k * n + j]! * xi[j]!;
      si -= re[k * n + j]! * xi[j]! + im[k * n + j]! * xr[j]!;
    }
    const den = re[k * n + k]! ** 2 + im[k * n + k]! ** 2;
    xr[k] = (sr * re[k * n + k]! + si * im[k * n + k]!) / den;
    xi[k] = (si * re[k * n + k]! - sr * im[k * n + k]!) / den;
  }
  return [xr, xi];
}

describe('SparseLu', () => {
  it.each([
    [12, 1],
    [40, 2],
    [150, 3],
    [300, 4],
  ])('solves random sparse complex systems (n = %i, seed %i) like a dense solve', (n, seed) => {
    const random = new SeededRandom(seed);
    // A random structurally symmetric pattern (a tree plus extra links, so there is fill), with
    // non-symmetric complex values: admittance-like diagonals plus unrelated off-diagonals.
    const edges: [number, number][] = [];
    for (let i = 1; i < n; i++) edges.push([Math.floor(random.next() * i), i]);
    for (let e = 0; e < n / 2; e++) {
      const i = Math.floor(random.next() * n);
      const j = Math.floor(random.next() * n);
      if (i !== j) edges.push([i, j]);
    }
    const aRe = new Float64Array(n * n);
    const aIm = new Float64Array(n * n);
    const lu = new SparseLu({ size: n, edges });
    lu.clear();
    const add = (i: number, j: number, re: number, im: number): void => {
      aRe[i * n + j]! += re;
      aIm[i * n + j]! += im;
      lu.add(i, j, re, im);
    };
    for (const [i, j] of edges) {
      add(i, j, random.next() - 0.5, random.next() - 0.5);
      add(j, i, random.next() - 0.5, random.next() - 0.5);
    }
    for (let i = 0; i < n; i++) add(i, i, 2 + random.next() * 3, -4 - random.next() * 5);
    expect(lu.factorize()).toBe(true);
    const bRe = Float64Array.from({ length: n }, () => random.next() - 0.5);
    const bIm = Float64Array.from({ length: n }, () => random.next() - 0.5);
    const [eRe, eIm] = denseSolve(n, aRe, aIm, bRe, bIm);
    const xRe = Float64Array.from(bRe);
    const xIm = Float64Array.from(bIm);
    lu.solve(xRe, xIm);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.hypot(xRe[i]! - eRe[i]!, xIm[i]! - eIm[i]!));
    expect(worst).toBeLessThan(1e-10);
    // Refactorising new values on the same pattern gives the same answer as a fresh dense solve.
    lu.clear();
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        if (aRe[i * n + j] !== 0 || aIm[i * n + j] !== 0)
          lu.add(i, j, 2 * aRe[i * n + j]!, 2 * aIm[i * n + j]!);
    expect(lu.factorize()).toBe(true);
    lu.solve(xRe.set(bRe) ?? xRe, xIm.set(bIm) ?? xIm);
    for (let i = 0; i < n; i++)
      expect(Math.hypot(2 * xRe[i]! - eRe[i]!, 2 * xIm[i]! - eIm[i]!)).toBeLessThan(1e-10);
  });

  it('a tree is factorised without fill (minimum degree eliminates leaves first)', () => {
    const n = 200;
    const edges: [number, number][] = [];
    for (let i = 1; i < n; i++) edges.push([(i - 1) >> 1, i]);
    expect(new SparseLu({ size: n, edges }).storedEntries).toBe(n + 2 * (n - 1));
  });

  it('reports a singular matrix: a floating section (no path to ground) or an isolated node', () => {
    // Two nodes joined by an admittance with no shunt: [[y, −y], [−y, y]] is singular.
    const floating = new SparseLu({ size: 3, edges: [[0, 1]] });
    floating.clear();
    floating.add(0, 0, 1, -3);
    floating.add(1, 1, 1, -3);
    floating.add(0, 1, -1, 3);
    floating.add(1, 0, -1, 3);
    floating.add(2, 2, 1, 0);
    expect(floating.factorize()).toBe(false);
    const isolated = new SparseLu({ size: 2, edges: [] });
    isolated.clear();
    isolated.add(0, 0, 1, 0);
    expect(isolated.factorize()).toBe(false);
  });
});
