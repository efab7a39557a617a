/**
 * Per-length impedance of OpenDSS lines, in conductor order (conductor k of the line sits on the k-th node
 * of its buses): from a Linecode (sequence values r1/x1/r0/x0/c1/c0 or matrices rmatrix/xmatrix/cmatrix),
 * from the same properties written on the Line itself, or from a Linegeometry of Wiredata conductors through
 * the network model's Carson/Kron helper.
 */
import { perLengthMatricesFromGeometry, type ConductorPosition } from '../line-geometry.js';
import { phaseIndex, type Phase } from '../network.js';
import {
  elementLabel,
  invalidElement,
  unsupportedElement,
  refuseUnmodelledProperty,
} from './element-reading.js';
import { convertLength, metresPerUnit, parseLengthUnit, type DssLengthUnit } from './length-units.js';
import type { DssAssignment, DssElement } from './script-ir.js';
import { parseNumber, parseNumberArray, parseSymmetricMatrix, parseYesNo, parseWordArray } from './values.js';

/** Series impedance (ohm) and shunt capacitance (nF) per `unit` of length, conductor order. */
export interface PerLengthImpedance {
  readonly conductors: number;
  readonly unit: DssLengthUnit;
  readonly rOhm: number[][];
  readonly xOhm: number[][];
  readonly cNf: number[][];
  /** Frequency the reactances were given at. */
  readonly frequencyHz: number;
  readonly ratingA: number | undefined;
}

/** The impedance-related properties shared by Linecode and Line. */
export const IMPEDANCE_PROPERTIES = new Set([
  'r1', 'x1', 'r0', 'x0', 'c1', 'c0', 'b1', 'b0', 'rmatrix', 'xmatrix', 'cmatrix',
]); // prettier-ignore

/**
 * Reads sequence or matrix impedance from `assignments` (OpenDSS defaults where unset: r1 0.058, x1 0.1206,
 * r0 0.1784, x0 0.4047 ohm and c1 3.4, c0 1.6 nF per unit length). The last family written wins, as in
 * OpenDSS.
 */
export function impedanceFromAssignments(
  element: DssElement,
  assignments: readonly DssAssignment[],
  conductors: number,
  frequencyHz: number,
): { rOhm: number[][]; xOhm: number[][]; cNf: number[][] } {
  const sequence = { r1: 0.058, x1: 0.1206, r0: 0.1784, x0: 0.4047, c1: 3.4, c0: 1.6 };
  let matrices: { r?: number[][]; x?: number[][]; c?: number[][] } = {};
  let useMatrices = false;
  for (const assignment of assignments) {
    const { property, value } = assignment;
    switch (property) {
      case 'r1':
      case 'x1':
      case 'r0':
      case 'x0':
      case 'c1':
      case 'c0':
        sequence[property] = parseNumber(value, property);
        useMatrices = false;
        break;
      case 'b1':
      case 'b0': {
        // microsiemens per unit length to nanofarads
        const c = (parseNumber(value, property) / (2 * Math.PI * frequencyHz)) * 1000;
        sequence[property === 'b1' ? 'c1' : 'c0'] = c;
        useMatrices = false;
        break;
      }
      case 'rmatrix':
        matrices = { ...matrices, r: parseSymmetricMatrix(value, conductors, property) };
        useMatrices = true;
        break;
      case 'xmatrix':
        matrices = { ...matrices, x: parseSymmetricMatrix(value, conductors, property) };
        useMatrices = true;
        break;
      case 'cmatrix':
        matrices = { ...matrices, c: parseSymmetricMatrix(value, conductors, property) };
        useMatrices = true;
        break;
    }
  }
  const fromSequence = (first: number, zero: number): number[][] =>
    square(conductors, (i, j) => (i === j ? (2 * first + zero) / 3 : (zero - first) / 3));
  if (!useMatrices) {
    return {
      rOhm: fromSequence(sequence.r1, sequence.r0),
      xOhm: fromSequence(sequence.x1, sequence.x0),
      cNf: fromSequence(sequence.c1, sequence.c0),
    };
  }
  if (matrices.r === undefined || matrices.x === undefined) {
    throw invalidElement(element, 'rmatrix and xmatrix must both be given', 'add the missing matrix');
  }
  return { rOhm: matrices.r, xOhm: matrices.x, cNf: matrices.c ?? square(conductors, () => 0) };
}

function square(order: number, entry: (i: number, j: number) => number): number[][] {
  return Array.from({ length: order }, (_, i) => Array.from({ length: order }, (_, j) => entry(i, j)));
}

const LINECODE_IGNORED = new Set([
  'emergamps',
  'faultrate',
  'pctperm',
  'repair',
  'seasons',
  'ratings',
  'linetype',
]);

export function lineCodeImpedance(code: DssElement, defaultFrequencyHz: number): PerLengthImpedance {
  let conductors = 3;
  let unit: DssLengthUnit = 'none';
  let frequencyHz = defaultFrequencyHz;
  let ratingA: number | undefined;
  for (const assignment of code.assignments) {
    const { property, value } = assignment;
    if (property === 'nphases') conductors = parseNumber(value, property);
    else if (property === 'units') unit = parseLengthUnit(value, property);
    else if (property === 'basefreq') frequencyHz = parseNumber(value, property);
    else if (property === 'normamps') ratingA = parseNumber(value, property);
    else if (property === 'kron') {
      if (parseYesNo(value, property))
        throw unsupportedElement(code, 'kron=yes on a linecode is not supported');
    } else if (property === 'rg' || property === 'xg' || property === 'rho' || property === 'neutral') {
      // Earth-return terms of the sequence-to-phase conversion: the reader uses the phase values as given.
    } else if (!IMPEDANCE_PROPERTIES.has(property) && !LINECODE_IGNORED.has(property)) {
      throw unsupportedElement(code, `property '${property}' is not modelled`, undefined, assignment);
    }
  }
  if (!Number.isInteger(conductors) || conductors < 1 || conductors > 3) {
    throw unsupportedElement(code, `nphases=${conductors}: tenet models 1 to 3 phase conductors`);
  }
  return {
    conductors,
    unit,
    frequencyHz,
    ratingA,
    ...impedanceFromAssignments(code, code.assignments, conductors, frequencyHz),
  };
}

interface Wire {
  readonly resistanceOhmPerKm: number;
  readonly gmrM: number;
  readonly radiusM: number;
  readonly ratingA: number | undefined;
}

const WIRE_IGNORED = new Set(['emergamps', 'seasons', 'ratings', 'capradius']);

/** Wiredata; `none` units are read as metres (OpenDSS does the same). */
export function readWire(wire: DssElement): Wire {
  let rdc: number | undefined;
  let rac: number | undefined;
  let rUnit: DssLengthUnit = 'none';
  let gmr: number | undefined;
  let gmrUnit: DssLengthUnit = 'none';
  let radius: number | undefined;
  let radiusUnit: DssLengthUnit = 'none';
  let ratingA: number | undefined;
  for (const assignment of wire.assignments) {
    const { property, value } = assignment;
    const number = (): number => parseNumber(value, property);
    if (property === 'rdc') rdc = number();
    else if (property === 'rac') rac = number();
    else if (property === 'runits') rUnit = parseLengthUnit(value, property);
    else if (property === 'gmrac') gmr = number();
    else if (property === 'gmrunits') gmrUnit = parseLengthUnit(value, property);
    else if (property === 'radius') radius = number();
    else if (property === 'diam') radius = number() / 2;
    else if (property === 'radunits') radiusUnit = parseLengthUnit(value, property);
    else if (property === 'normamps') ratingA = number();
    else refuseUnmodelledProperty(wire, assignment, WIRE_IGNORED);
  }
  const resistance = rac ?? (rdc === undefined ? undefined : rdc * 1.02);
  if (resistance === undefined || radius === undefined) {
    throw invalidElement(wire, 'wiredata needs Rac (or Rdc) and a diameter or radius', 'add Rac= and Diam=');
  }
  const metres = (unit: DssLengthUnit): number => metresPerUnit(unit) ?? 1;
  const radiusM = radius * metres(radiusUnit);
  const gmrM = gmr === undefined ? 0.7788 * radiusM : gmr * metres(gmrUnit);
  if (!(radiusM > 0) || !(gmrM > 0) || !(resistance >= 0)) {
    throw invalidElement(wire, 'wiredata needs a positive radius and GMR and a non-negative resistance');
  }
  return { resistanceOhmPerKm: (resistance / metres(rUnit)) * 1000, gmrM, radiusM, ratingA };
}

interface GeometryConductor {
  wire: DssElement | undefined;
  xM: number | undefined;
  heightM: number | undefined;
}

/**
 * Per-km phase matrices of a Linegeometry whose first `phases.length` conductors carry `phases` (in the
 * order of the line's bus nodes); the rest are neutrals, Kron-reduced away as grounded conductors.
 */
export function geometryImpedance(
  geometry: DssElement,
  phases: readonly Phase[],
  findWire: (name: string, at: DssAssignment) => DssElement,
  earthResistivityOhmM: number,
  frequencyHz: number,
  warnings: string[],
): PerLengthImpedance & { readonly geometryPhases: number } {
  let conductorCount = 3;
  let phaseCount: number | undefined;
  let reduce = false;
  let active = 0;
  let unit: DssLengthUnit = 'ft';
  let ratingA: number | undefined;
  const conductors: GeometryConductor[] = [];
  const at = (k: number): GeometryConductor => {
    while (conductors.length <= k) conductors.push({ wire: undefined, xM: undefined, heightM: undefined });
    return conductors[k] as GeometryConductor;
  };
  const metres = (): number => metresPerUnit(unit) ?? 1;
  for (const assignment of geometry.assignments) {
    const { property, value } = assignment;
    const number = (): number => parseNumber(value, property);
    const perConductor = (apply: (conductor: GeometryConductor, word: string) => void): void => {
      const words = value.enclosure !== undefined ? parseWordArray(value) : [value.text];
      if (words.length > 1) words.forEach((word, k) => apply(at(k), word));
      else apply(at(active), words[0] ?? '');
    };
    switch (property) {
      case 'nconds':
        conductorCount = number();
        break;
      case 'nphases':
        phaseCount = number();
        break;
      case 'cond':
        active = number() - 1;
        if (active < 0) throw invalidElement(geometry, 'cond= counts from 1', undefined, assignment);
        break;
      case 'wire':
      case 'wires':
        perConductor((conductor, word) => (conductor.wire = findWire(word, assignment)));
        break;
      case 'x':
        if (value.enclosure !== undefined && parseNumberArray(value, property).length > 1) {
          parseNumberArray(value, property).forEach((x, k) => (at(k).xM = x * metres()));
        } else at(active).xM = number() * metres();
        break;
      case 'h':
        if (value.enclosure !== undefined && parseNumberArray(value, property).length > 1) {
          parseNumberArray(value, property).forEach((h, k) => (at(k).heightM = h * metres()));
        } else at(active).heightM = number() * metres();
        break;
      case 'units': {
        // Units apply to the positions that follow; convert any already read for this conductor.
        const previous = metres();
        unit = parseLengthUnit(value, property);
        const conductor = at(active);
        if (conductor.xM !== undefined) conductor.xM = (conductor.xM / previous) * metres();
        if (conductor.heightM !== undefined) conductor.heightM = (conductor.heightM / previous) * metres();
        break;
      }
      case 'reduce':
        reduce = parseYesNo(value, property);
        break;
      case 'normamps':
        ratingA = number();
        break;
      case 'emergamps':
      case 'seasons':
      case 'ratings':
      case 'linetype':
        break;
      default:
        throw unsupportedElement(
          geometry,
          `property '${property}' is not modelled (cables and spacings are not supported)`,
          undefined,
          assignment,
        );
    }
  }
  const geometryPhases = phaseCount ?? conductorCount;
  if (conductors.length > conductorCount) {
    throw invalidElement(geometry, `conductors defined beyond nconds=${conductorCount}`);
  }
  if (geometryPhases !== phases.length) {
    throw invalidElement(geometry, `nphases=${geometryPhases} but the line has ${phases.length} phase(s)`);
  }
  if (!reduce && conductorCount > geometryPhases) {
    warnings.push(
      `${elementLabel(geometry)}: reduce=no, but tenet has no explicit neutral; its neutral(s) are Kron-reduced as grounded conductors`,
    );
  }
  const positions: ConductorPosition[] = [];
  for (let k = 0; k < conductorCount; k++) {
    const conductor = conductors[k];
    if (conductor?.wire === undefined || conductor.xM === undefined || conductor.heightM === undefined) {
      throw invalidElement(geometry, `conductor ${k + 1} needs wire=, x= and h=`);
    }
    const wire = readWire(conductor.wire);
    ratingA ??= k === 0 ? wire.ratingA : undefined;
    positions.push({
      phase: k < geometryPhases ? (phases[k] as Phase) : 'neutral',
      xM: conductor.xM,
      heightM: conductor.heightM,
      resistanceOhmPerKm: wire.resistanceOhmPerKm,
      gmrM: wire.gmrM,
      radiusM: wire.radiusM,
    });
  }
  const matrices = perLengthMatricesFromGeometry({
    conductors: positions,
    earthResistivityOhmM,
    frequencyHz,
  });
  // Back to conductor order, and shunt susceptance (S/km) to capacitance (nF/km).
  const omega = 2 * Math.PI * frequencyHz;
  const entry = (values: readonly number[], i: number, j: number): number =>
    values[3 * phaseIndex(phases[i] as Phase) + phaseIndex(phases[j] as Phase)] ?? 0;
  const n = phases.length;
  return {
    conductors: n,
    unit: 'km',
    frequencyHz,
    ratingA,
    geometryPhases,
    rOhm: square(n, (i, j) => entry(matrices.impedanceOhmPerKm.re, i, j)),
    xOhm: square(n, (i, j) => entry(matrices.impedanceOhmPerKm.im, i, j)),
    cNf: square(n, (i, j) => (entry(matrices.admittanceSPerKm.im, i, j) / omega) * 1e9),
  };
}

/** Total phase matrices of a segment: per-length values times the length in the per-length unit. */
export function scaleToLength(
  impedance: PerLengthImpedance,
  length: number,
  lengthUnit: DssLengthUnit,
  systemFrequencyHz: number,
): { rOhm: number[][]; xOhm: number[][]; bS: number[][] } {
  const lengthInCodeUnits = convertLength(length, lengthUnit, impedance.unit);
  const reactanceScale = systemFrequencyHz / impedance.frequencyHz;
  const omega = 2 * Math.PI * systemFrequencyHz;
  const map = (matrix: number[][], factor: number): number[][] =>
    matrix.map((row) => row.map((value) => value * factor));
  return {
    rOhm: map(impedance.rOhm, lengthInCodeUnits),
    xOhm: map(impedance.xOhm, lengthInCodeUnits * reactanceScale),
    bS: map(impedance.cNf, lengthInCodeUnits * omega * 1e-9),
  };
}
