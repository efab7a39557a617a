/**
 * Per-length phase impedance and admittance matrices of an overhead line from its conductor geometry:
 * the modified Carson equations for the series impedance, potential coefficients with images for the
 * shunt capacitance, and Kron reduction of the (grounded) neutral conductors. Kersting, "Distribution
 * System Modeling and Analysis", chapters 4 and 5. Units: metres and ohm per kilometre in, per-kilometre
 * matrices out.
 */
import type { Phase, PhaseMatrix } from './network.js';
import { phaseIndex } from './network.js';

export interface ConductorPosition {
  /** The phase this conductor carries, or `'neutral'` for a grounded neutral (Kron-reduced away). */
  readonly phase: Phase | 'neutral';
  /** Horizontal position and height above ground, metres. */
  readonly xM: number;
  readonly heightM: number;
  /** AC resistance at the operating temperature, ohm per km. */
  readonly resistanceOhmPerKm: number;
  /** Geometric mean radius, metres. */
  readonly gmrM: number;
  /** Outside radius, metres (for the capacitance). */
  readonly radiusM: number;
}

export interface LineGeometry {
  readonly conductors: readonly ConductorPosition[];
  /** Default 100 ohm·m. */
  readonly earthResistivityOhmM?: number;
  /** Default 60 Hz. */
  readonly frequencyHz?: number;
}

export interface PerLengthMatrices {
  readonly phases: readonly Phase[];
  readonly impedanceOhmPerKm: PhaseMatrix;
  readonly admittanceSPerKm: PhaseMatrix;
}

const MU0 = 4e-7 * Math.PI;
const EPS0 = 8.854187817e-12;

/**
 * Modified Carson (two terms of the earth-return series): with ω = 2πf,
 *   z_ii = r_i + ω μ0 / 8 + j ω μ0 / 2π (ln(1 / GMR_i) + ln(De)),  z_ij = ω μ0 / 8 + j ω μ0 / 2π (ln(1 / D_ij) + ln(De))
 * where De = 658.5 √(ρ / f) m is the depth of the equivalent earth return (per metre, scaled to per km).
 */
export function perLengthMatricesFromGeometry(geometry: LineGeometry): PerLengthMatrices {
  const rho = geometry.earthResistivityOhmM ?? 100;
  const f = geometry.frequencyHz ?? 60;
  const omega = 2 * Math.PI * f;
  const conductors = geometry.conductors;
  const n = conductors.length;
  const earthDepthM = 658.5 * Math.sqrt(rho / f);
  const zRe: number[][] = [];
  const zIm: number[][] = [];
  const potential: number[][] = [];
  for (let i = 0; i < n; i++) {
    const ci = conductors[i]!;
    zRe.push([]);
    zIm.push([]);
    potential.push([]);
    for (let j = 0; j < n; j++) {
      const cj = conductors[j]!;
      const distance = i === j ? ci.gmrM : Math.hypot(ci.xM - cj.xM, ci.heightM - cj.heightM);
      const earthRe = (omega * MU0) / 8;
      const selfR = i === j ? ci.resistanceOhmPerKm / 1000 : 0;
      zRe[i]!.push(selfR + earthRe);
      zIm[i]!.push(((omega * MU0) / (2 * Math.PI)) * Math.log(earthDepthM / distance));
      const image = Math.hypot(ci.xM - cj.xM, ci.heightM + cj.heightM);
      const direct = i === j ? ci.radiusM : Math.hypot(ci.xM - cj.xM, ci.heightM - cj.heightM);
      potential[i]!.push(Math.log(image / direct) / (2 * Math.PI * EPS0));
    }
  }
  const phaseRows = conductors.flatMap((c, i) => (c.phase === 'neutral' ? [] : [i]));
  const neutralRows = conductors.flatMap((c, i) => (c.phase === 'neutral' ? [i] : []));
  const [zReducedRe, zReducedIm] = kronReduce(zRe, zIm, phaseRows, neutralRows);
  const zeros = potential.map((row) => row.map(() => 0));
  const [pReduced] = kronReduce(potential, zeros, phaseRows, neutralRows);
  const capacitance = invertReal(pReduced);
  const impedanceRe = new Array<number>(9).fill(0);
  const impedanceIm = new Array<number>(9).fill(0);
  const admittanceIm = new Array<number>(9).fill(0);
  const phases: Phase[] = [];
  phaseRows.forEach((row, a) => {
    const pa = phaseIndex(conductors[row]!.phase as Phase);
    phases.push(conductors[row]!.phase as Phase);
    phaseRows.forEach((_, b) => {
      const pb = phaseIndex(conductors[phaseRows[b]!]!.phase as Phase);
      impedanceRe[3 * pa + pb] = zReducedRe[a]![b]! * 1000;
      impedanceIm[3 * pa + pb] = zReducedIm[a]![b]! * 1000;
      admittanceIm[3 * pa + pb] = omega * capacitance[a]![b]! * 1000;
    });
  });
  return {
    phases: phases.sort(),
    impedanceOhmPerKm: { re: impedanceRe, im: impedanceIm },
    admittanceSPerKm: { re: new Array<number>(9).fill(0), im: admittanceIm },
  };
}

/** Z_pp − Z_pn Z_nn⁻¹ Z_np on complex matrices given as real and imaginary parts. */
function kronReduce(
  re: number[][],
  im: number[][],
  keep: readonly number[],
  eliminate: readonly number[],
): [number[][], number[][]] {
  const outRe = keep.map((i) => keep.map((j) => re[i]![j]!));
  const outIm = keep.map((i) => keep.map((j) => im[i]![j]!));
  if (eliminate.length === 0) return [outRe, outIm];
  const [invRe, invIm] = invertComplex(
    eliminate.map((i) => eliminate.map((j) => re[i]![j]!)),
    eliminate.map((i) => eliminate.map((j) => im[i]![j]!)),
  );
  keep.forEach((i, a) => {
    keep.forEach((j, b) => {
      let sRe = 0;
      let sIm = 0;
      eliminate.forEach((k, c) => {
        eliminate.forEach((l, d) => {
          // Z_ik · inv_cd · Z_lj
          const tRe = re[i]![k]! * invRe[c]![d]! - im[i]![k]! * invIm[c]![d]!;
          const tIm = re[i]![k]! * invIm[c]![d]! + im[i]![k]! * invRe[c]![d]!;
          sRe += tRe * re[l]![j]! - tIm * im[l]![j]!;
          sIm += tRe * im[l]![j]! + tIm * re[l]![j]!;
        });
      });
      outRe[a]![b]! -= sRe;
      outIm[a]![b]! -= sIm;
    });
  });
  return [outRe, outIm];
}

/** Gauss–Jordan inverse of a small complex matrix. */
export function invertComplex(re: number[][], im: number[][]): [number[][], number[][]] {
  const n = re.length;
  const aRe = re.map((row, i) => [...row, ...row.map((_, j) => (i === j ? 1 : 0))]);
  const aIm = im.map((row) => [...row, ...row.map(() => 0)]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) {
      if (Math.hypot(aRe[r]![col]!, aIm[r]![col]!) > Math.hypot(aRe[pivot]![col]!, aIm[pivot]![col]!))
        pivot = r;
    }
    [aRe[col], aRe[pivot]] = [aRe[pivot]!, aRe[col]!];
    [aIm[col], aIm[pivot]] = [aIm[pivot]!, aIm[col]!];
    const pr = aRe[col]![col]!;
    const pi = aIm[col]![col]!;
    const den = pr * pr + pi * pi;
    const invR = pr / den;
    const invI = -pi / den;
    for (let j = 0; j < 2 * n; j++) {
      const r = aRe[col]![j]!;
      const i = aIm[col]![j]!;
      aRe[col]![j] = r * invR - i * invI;
      aIm[col]![j] = r * invI + i * invR;
    }
    for (let r = 0; r < n; r++) {
      if (r === col) continue;
      const fr = aRe[r]![col]!;
      const fi = aIm[r]![col]!;
      if (fr === 0 && fi === 0) continue;
      for (let j = 0; j < 2 * n; j++) {
        const cr = aRe[col]![j]!;
        const ci = aIm[col]![j]!;
        aRe[r]![j]! -= fr * cr - fi * ci;
        aIm[r]![j]! -= fr * ci + fi * cr;
      }
    }
  }
  return [aRe.map((row) => row.slice(n)), aIm.map((row) => row.slice(n))];
}

function invertReal(matrix: number[][]): number[][] {
  return invertComplex(
    matrix,
    matrix.map((row) => row.map(() => 0)),
  )[0];
}
