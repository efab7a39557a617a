/**
 * Complex 3×3 matrices and 3-vectors for the backward/forward sweep (test support): deliberately a
 * separate, plain implementation, so the cross-check shares no arithmetic with the solver.
 */
export interface C3x3 {
  readonly re: Float64Array; // row-major, 9 entries
  readonly im: Float64Array;
}
export interface C3 {
  readonly re: Float64Array; // 3 entries
  readonly im: Float64Array;
}

export const zeros3x3 = (): C3x3 => ({ re: new Float64Array(9), im: new Float64Array(9) });
export const zeros3 = (): C3 => ({ re: new Float64Array(3), im: new Float64Array(3) });

export function identity3x3(scale = 1): C3x3 {
  const m = zeros3x3();
  for (let i = 0; i < 3; i++) m.re[4 * i] = scale;
  return m;
}

export function diagonal3x3(re: readonly number[], im: readonly number[] = [0, 0, 0]): C3x3 {
  const m = zeros3x3();
  for (let i = 0; i < 3; i++) {
    m.re[4 * i] = re[i] ?? 0;
    m.im[4 * i] = im[i] ?? 0;
  }
  return m;
}

export function fromParts(re: readonly number[], im: readonly number[]): C3x3 {
  return { re: Float64Array.from(re), im: Float64Array.from(im) };
}

export function add3x3(x: C3x3, y: C3x3, yScale = 1): C3x3 {
  const m = zeros3x3();
  for (let k = 0; k < 9; k++) {
    m.re[k] = x.re[k]! + yScale * y.re[k]!;
    m.im[k] = x.im[k]! + yScale * y.im[k]!;
  }
  return m;
}

export function multiply3x3(x: C3x3, y: C3x3): C3x3 {
  const m = zeros3x3();
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      let sr = 0;
      let si = 0;
      for (let k = 0; k < 3; k++) {
        const ar = x.re[3 * i + k]!;
        const ai = x.im[3 * i + k]!;
        const br = y.re[3 * k + j]!;
        const bi = y.im[3 * k + j]!;
        sr += ar * br - ai * bi;
        si += ar * bi + ai * br;
      }
      m.re[3 * i + j] = sr;
      m.im[3 * i + j] = si;
    }
  }
  return m;
}

/** Inverse by Gauss–Jordan elimination with partial pivoting. */
export function invert3x3(x: C3x3): C3x3 {
  const a = { re: Float64Array.from(x.re), im: Float64Array.from(x.im) };
  const inv = identity3x3();
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++)
      if (
        Math.hypot(a.re[3 * r + col]!, a.im[3 * r + col]!) >
        Math.hypot(a.re[3 * pivot + col]!, a.im[3 * pivot + col]!)
      )
        pivot = r;
    for (const m of [a, inv]) {
      for (let k = 0; k < 3; k++) {
        for (const part of [m.re, m.im]) {
          const t = part[3 * col + k]!;
          part[3 * col + k] = part[3 * pivot + k]!;
          part[3 * pivot + k] = t;
        }
      }
    }
    const pr = a.re[4 * col]!;
    const pi = a.im[4 * col]!;
    const den = pr * pr + pi * pi;
    if (den === 0) throw new Error('singular 3×3 matrix');
    const ir = pr / den;
    const ii = -pi / den;
    for (const m of [a, inv]) {
      for (let k = 0; k < 3; k++) {
        const r = m.re[3 * col + k]!;
        const i = m.im[3 * col + k]!;
        m.re[3 * col + k] = r * ir - i * ii;
        m.im[3 * col + k] = r * ii + i * ir;
      }
    }
    for (let r = 0; r < 3; r++) {
      if (r === col) continue;
      const fr = a.re[3 * r + col]!;
      const fi = a.im[3 * r + col]!;
      for (const m of [a, inv]) {
        for (let k = 0; k < 3; k++) {
          const cr = m.re[3 * col + k]!;
          const ci = m.im[3 * col + k]!;
          m.re[3 * r + k]! -= fr * cr - fi * ci;
          m.im[3 * r + k]! -= fr * ci + fi * cr;
        }
      }
    }
  }
  return inv;
}

/** out = m·v (+ out when accumulate). */
export function multiplyVector(m: C3x3, v: C3, out: C3, accumulate = false, sign = 1): void {
  for (let i = 0; i < 3; i++) {
    let sr = 0;
    let si = 0;
    for (let k = 0; k < 3; k++) {
      sr += m.re[3 * i + k]! * v.re[k]! - m.im[3 * i + k]! * v.im[k]!;
      si += m.re[3 * i + k]! * v.im[k]! + m.im[3 * i + k]! * v.re[k]!;
    }
    out.re[i] = (accumulate ? out.re[i]! : 0) + sign * sr;
    out.im[i] = (accumulate ? out.im[i]! : 0) + sign * si;
  }
}
