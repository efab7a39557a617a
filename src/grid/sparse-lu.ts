/**
 * Sparse complex LU factorisation for nodal admittance matrices, which are structurally symmetric.
 *
 * - Ordering: greedy minimum degree on the matrix graph (ties broken by index), which for radial feeders
 *   eliminates from the leaves inward and so produces no fill at all.
 * - Symbolic phase (once per structure): the filled pattern and, for every pivot, the storage positions
 *   of every update it makes, so the numeric phase is a flat loop with no searching and no allocation.
 * - Numeric phase (again whenever values change, e.g. a tap moves): right-looking elimination with
 *   diagonal pivots. Admittance matrices of connected passive networks with a grounded reference have
 *   non-zero diagonal pivots in any order, which is why no row exchanges are needed.
 * - Solve: forward and back substitution in place on caller-owned Float64Arrays.
 */
export interface SparsePattern {
  readonly size: number;
  /** Each off-diagonal entry (i, j) once; (j, i) is implied. */
  readonly edges: readonly (readonly [number, number])[];
}

export class SparseLu {
  readonly size: number;
  /** order[k] = original index eliminated k-th; position[i] = its k. */
  private readonly order: Int32Array;
  private readonly position: Int32Array;
  /** CSR of the filled matrix in elimination order. */
  private readonly rowStart: Int32Array;
  private readonly columns: Int32Array;
  private readonly valuesRe: Float64Array;
  private readonly valuesIm: Float64Array;
  private readonly diagonal: Int32Array;
  /** For pivot k: its upper row entries are columns[upperStart[k] .. rowStart[k+1]). */
  private readonly upperStart: Int32Array;
  /** For pivot k: positions of L(i, k) for each i in its pattern, in pattern order. */
  private readonly lowerPosStart: Int32Array;
  private readonly lowerPos: Int32Array;
  /** For pivot k: positions of the (i, j) entries its elimination updates, |pattern|² of them. */
  private readonly updateStart: Int32Array;
  private readonly updatePos: Int32Array;
  private readonly workRe: Float64Array;
  private readonly workIm: Float64Array;

  constructor(pattern: SparsePattern) {
    const n = pattern.size;
    this.size = n;
    const adjacency: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
    for (const [i, j] of pattern.edges) {
      if (i === j) continue;
      adjacency[i]!.add(j);
      adjacency[j]!.add(i);
    }
    this.order = minimumDegreeOrder(adjacency);
    this.position = new Int32Array(n);
    this.order.forEach((original, k) => (this.position[original] = k));
    // Filled pattern: eliminating k joins its remaining neighbours pairwise (in elimination order).
    const filled: Set<number>[] = Array.from({ length: n }, () => new Set<number>());
    for (let i = 0; i < n; i++)
      for (const j of adjacency[i]!) filled[this.position[i]!]!.add(this.position[j]!);
    const upperOf: number[][] = [];
    for (let k = 0; k < n; k++) {
      const later = [...filled[k]!].filter((j) => j > k).sort((a, b) => a - b);
      upperOf.push(later);
      for (const a of later) for (const b of later) if (a !== b) filled[a]!.add(b);
    }
    const rowStart = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) rowStart[k + 1] = rowStart[k]! + filled[k]!.size + 1;
    const columns = new Int32Array(rowStart[n]!);
    this.diagonal = new Int32Array(n);
    this.upperStart = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      const cols = [...filled[k]!, k].sort((a, b) => a - b);
      columns.set(cols, rowStart[k]!);
      const d = cols.indexOf(k);
      this.diagonal[k] = rowStart[k]! + d;
      this.upperStart[k] = rowStart[k]! + d + 1;
    }
    this.rowStart = rowStart;
    this.columns = columns;
    const find = (row: number, col: number): number => {
      let lo = rowStart[row]!;
      let hi = rowStart[row + 1]! - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >> 1;
        const c = columns[mid]!;
        if (c === col) return mid;
        if (c < col) lo = mid + 1;
        else hi = mid - 1;
      }
      throw new Error(`sparse LU: entry (${row}, ${col}) missing from the filled pattern`);
    };
    this.find = find;
    const lowerPos: number[] = [];
    const updatePos: number[] = [];
    this.lowerPosStart = new Int32Array(n + 1);
    this.updateStart = new Int32Array(n + 1);
    for (let k = 0; k < n; k++) {
      const later = upperOf[k]!;
      for (const i of later) lowerPos.push(find(i, k));
      for (const i of later) for (const j of later) updatePos.push(find(i, j));
      this.lowerPosStart[k + 1] = lowerPos.length;
      this.updateStart[k + 1] = updatePos.length;
    }
    this.lowerPos = Int32Array.from(lowerPos);
    this.updatePos = Int32Array.from(updatePos);
    this.valuesRe = new Float64Array(columns.length);
    this.valuesIm = new Float64Array(columns.length);
    this.workRe = new Float64Array(n);
    this.workIm = new Float64Array(n);
  }

  private readonly find: (row: number, col: number) => number;

  /** Number of stored entries of L + U (a measure of fill). */
  get storedEntries(): number {
    return this.columns.length;
  }

  /** Clear the values before assembling a new matrix with `add`. */
  clear(): void {
    this.valuesRe.fill(0);
    this.valuesIm.fill(0);
  }

  /** A(i, j) += re + j·im, in original indices; (i, j) must be in the pattern given to the constructor. */
  add(i: number, j: number, re: number, im: number): void {
    const p = this.find(this.position[i]!, this.position[j]!);
    this.valuesRe[p]! += re;
    this.valuesIm[p]! += im;
  }

  /**
   * Factorise the assembled values in place. Returns false for a singular matrix: a pivot that is zero,
   * or that cancelled to below 64 machine epsilons of the diagonal it started from (a section with no
   * path to ground cancels to rounding noise, not to an exact zero; a pivot that small has lost every
   * significant digit anyway).
   */
  factorize(): boolean {
    const re = this.valuesRe;
    const im = this.valuesIm;
    const start = this.workRe;
    for (let k = 0; k < this.size; k++) start[k] = Math.hypot(re[this.diagonal[k]!]!, im[this.diagonal[k]!]!);
    for (let k = 0; k < this.size; k++) {
      const dp = this.diagonal[k]!;
      const dRe = re[dp]!;
      const dIm = im[dp]!;
      const den = dRe * dRe + dIm * dIm;
      if (!(den > 0) || !Number.isFinite(den)) return false;
      if (Math.sqrt(den) <= 64 * Number.EPSILON * start[k]!) return false;
      const invRe = dRe / den;
      const invIm = -dIm / den;
      const lStart = this.lowerPosStart[k]!;
      const count = this.lowerPosStart[k + 1]! - lStart;
      const uStart = this.upperStart[k]!;
      let u = this.updateStart[k]!;
      for (let a = 0; a < count; a++) {
        const lp = this.lowerPos[lStart + a]!;
        // L(i, k) = A(i, k) / A(k, k)
        const lr = re[lp]! * invRe - im[lp]! * invIm;
        const li = re[lp]! * invIm + im[lp]! * invRe;
        re[lp] = lr;
        im[lp] = li;
        for (let b = 0; b < count; b++) {
          const up = uStart + b; // U(k, j) for the b-th later column, same order as the pattern
          const target = this.updatePos[u++]!;
          re[target]! -= lr * re[up]! - li * im[up]!;
          im[target]! -= lr * im[up]! + li * re[up]!;
        }
      }
    }
    return true;
  }

  /** Solve A x = b; b is given and x returned in the same arrays, original indices. */
  solve(bRe: Float64Array, bIm: Float64Array): void {
    const n = this.size;
    const xr = this.workRe;
    const xi = this.workIm;
    for (let k = 0; k < n; k++) {
      const o = this.order[k]!;
      xr[k] = bRe[o]!;
      xi[k] = bIm[o]!;
    }
    const re = this.valuesRe;
    const im = this.valuesIm;
    const cols = this.columns;
    for (let k = 0; k < n; k++) {
      const br = xr[k]!;
      const bi = xi[k]!;
      if (br === 0 && bi === 0) continue;
      const lStart = this.lowerPosStart[k]!;
      const end = this.lowerPosStart[k + 1]!;
      const uStart = this.upperStart[k]!;
      for (let a = lStart; a < end; a++) {
        const lp = this.lowerPos[a]!;
        const i = cols[uStart + (a - lStart)]!;
        xr[i]! -= re[lp]! * br - im[lp]! * bi;
        xi[i]! -= re[lp]! * bi + im[lp]! * br;
      }
    }
    for (let k = n - 1; k >= 0; k--) {
      let sr = xr[k]!;
      let si = xi[k]!;
      const end = this.rowStart[k + 1]!;
      for (let p = this.upperStart[k]!; p < end; p++) {
        const j = cols[p]!;
        sr -= re[p]! * xr[j]! - im[p]! * xi[j]!;
        si -= re[p]! * xi[j]! + im[p]! * xr[j]!;
      }
      const dp = this.diagonal[k]!;
      const dRe = re[dp]!;
      const dIm = im[dp]!;
      const den = dRe * dRe + dIm * dIm;
      xr[k] = (sr * dRe + si * dIm) / den;
      xi[k] = (si * dRe - sr * dIm) / den;
    }
    for (let k = 0; k < n; k++) {
      const o = this.order[k]!;
      bRe[o] = xr[k]!;
      bIm[o] = xi[k]!;
    }
  }
}

/**
 * Greedy minimum degree with a bucketed priority queue and explicit fill (elimination graph). Fine for
 * distribution feeders, whose graphs are nearly trees; an approximate minimum degree would scale better
 * on meshed networks.
 */
function minimumDegreeOrder(adjacency: readonly Set<number>[]): Int32Array {
  const n = adjacency.length;
  const graph = adjacency.map((s) => new Set(s));
  const eliminated = new Uint8Array(n);
  const order = new Int32Array(n);
  // Binary heap of (degree, index) with lazy deletion.
  const heap: number[] = [];
  const key = (i: number): number => graph[i]!.size * n + i;
  const push = (value: number): void => {
    heap.push(value);
    let c = heap.length - 1;
    while (c > 0) {
      const p = (c - 1) >> 1;
      if (heap[p]! <= heap[c]!) break;
      [heap[p], heap[c]] = [heap[c]!, heap[p]!];
      c = p;
    }
  };
  const pop = (): number => {
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      let p = 0;
      for (;;) {
        const l = 2 * p + 1;
        const r = l + 1;
        let m = p;
        if (l < heap.length && heap[l]! < heap[m]!) m = l;
        if (r < heap.length && heap[r]! < heap[m]!) m = r;
        if (m === p) break;
        [heap[p], heap[m]] = [heap[m]!, heap[p]!];
        p = m;
      }
    }
    return top;
  };
  for (let i = 0; i < n; i++) push(key(i));
  let k = 0;
  while (k < n) {
    const entry = pop();
    const v = entry % n;
    if (eliminated[v] === 1 || key(v) !== entry) continue;
    eliminated[v] = 1;
    order[k++] = v;
    const neighbours = [...graph[v]!];
    for (const a of neighbours) {
      graph[a]!.delete(v);
      for (const b of neighbours) if (a !== b) graph[a]!.add(b);
    }
    for (const a of neighbours) push(key(a));
  }
  return order;
}
