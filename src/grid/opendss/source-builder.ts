/**
 * The circuit's Vsource. tenet's `Source` is an ideal three-phase voltage at a bus; OpenDSS's is that voltage
 * behind a Thevenin impedance given by MVAsc3/MVAsc1 (with X1/R1, X0/R0), Isc3/Isc1, R1/X1/R0/X0, Z1/Z0 or
 * puZ1/puZ0. The reader keeps that impedance: the ideal source sits at an internal bus `<bus1>-vsource`
 * joined to `bus1` by a line `vsource.source` whose phase matrix is built from the sequence impedances
 * (Zs = (2 Z1 + Z0) / 3 on the diagonal, Zm = (Z0 - Z1) / 3 off it). A zero impedance puts the source on
 * `bus1` directly, and `sourceImpedance: 'ignore'` does that whatever the script says.
 */
import type { Line, Phase, Source } from '../network.js';
import {
  elementLabel,
  invalidElement,
  terminalPhases,
  unsupportedElement,
  refuseUnmodelledProperty,
} from './element-reading.js';
import type { DssElement } from './script-ir.js';
import { parseBusSpec, parseNumber, parseNumberArray, parseYesNo } from './values.js';

export interface BuiltSource {
  readonly source: Source;
  /** The OpenDSS bus the source feeds (lower case). */
  readonly bus: string;
  readonly phases: readonly Phase[];
  /** The Thevenin impedance as a line from the internal source bus to `bus`, when modelled. */
  readonly theveninLine: Line | undefined;
}

interface Complex {
  re: number;
  im: number;
}

/** Which definition of the source impedance came last: OpenDSS uses the most recent one. */
type ImpedanceSpec = 'mvasc' | 'isc' | 'ohms' | 'pu';

const IGNORED = new Set([
  'scantype',
  'sequence',
  'yearly',
  'daily',
  'duty',
  'model',
  'puzideal',
  'spectrum',
  'basefreq',
]);

export function buildSource(element: DssElement, ignoreImpedance: boolean): BuiltSource {
  let bus = 'sourcebus';
  let busNodes: readonly number[] = [];
  let baseKv = 115;
  let pu = 1;
  let angleDeg = 0;
  let mvaSc3 = 2000;
  let mvaSc1 = 2100;
  let x1r1 = 4;
  let x0r0 = 3;
  let z1: Complex | undefined;
  let z0: Complex | undefined;
  let puZ1: Complex | undefined;
  let puZ0: Complex | undefined;
  let baseMva = 100;
  let spec: ImpedanceSpec = 'mvasc';
  let iscGiven = false;
  let isc3 = 0;
  let isc1 = 0;

  const pair = (text: readonly number[]): Complex => ({ re: text[0] ?? 0, im: text[1] ?? 0 });
  for (const assignment of element.assignments) {
    const { property, value } = assignment;
    const number = (): number => parseNumber(value, property);
    switch (property) {
      case 'bus1': {
        const parsed = parseBusSpec(value, property);
        bus = parsed.bus;
        busNodes = parsed.nodes;
        break;
      }
      case 'basekv':
        baseKv = number();
        break;
      case 'pu':
        pu = number();
        break;
      case 'angle':
        angleDeg = number();
        break;
      case 'phases':
        if (number() !== 3)
          throw unsupportedElement(element, 'only a three-phase source is modelled', undefined, assignment);
        break;
      case 'frequency':
        break;
      case 'mvasc3':
        mvaSc3 = number();
        spec = 'mvasc';
        break;
      case 'mvasc1':
        mvaSc1 = number();
        spec = 'mvasc';
        break;
      case 'x1r1':
        x1r1 = number();
        break;
      case 'x0r0':
        x0r0 = number();
        break;
      case 'isc3':
        isc3 = number();
        spec = 'isc';
        iscGiven = true;
        break;
      case 'isc1':
        isc1 = number();
        spec = 'isc';
        iscGiven = true;
        break;
      case 'r1':
        z1 = { re: number(), im: z1?.im ?? 0 };
        spec = 'ohms';
        break;
      case 'x1':
        z1 = { re: z1?.re ?? 0, im: number() };
        spec = 'ohms';
        break;
      case 'r0':
        z0 = { re: number(), im: z0?.im ?? 0 };
        spec = 'ohms';
        break;
      case 'x0':
        z0 = { re: z0?.re ?? 0, im: number() };
        spec = 'ohms';
        break;
      case 'z1':
        z1 = pair(parseNumberArray(value, property));
        spec = 'ohms';
        break;
      case 'z0':
        z0 = pair(parseNumberArray(value, property));
        spec = 'ohms';
        break;
      case 'puz1':
        puZ1 = pair(parseNumberArray(value, property));
        spec = 'pu';
        break;
      case 'puz0':
        puZ0 = pair(parseNumberArray(value, property));
        spec = 'pu';
        break;
      case 'basemva':
        baseMva = number();
        break;
      case 'enabled':
        if (!parseYesNo(value, property))
          throw unsupportedElement(element, 'the circuit source cannot be disabled');
        break;
      case 'bus2':
        if (parseBusSpec(value, property).nodes.some((node) => node !== 0)) {
          throw unsupportedElement(
            element,
            'a source with an ungrounded bus2 is not modelled',
            undefined,
            assignment,
          );
        }
        break;
      default:
        refuseUnmodelledProperty(element, assignment, IGNORED);
    }
  }
  if (!(baseKv > 0) || !(pu > 0)) throw invalidElement(element, 'basekV and pu must be positive');

  const zBase = baseKv * baseKv;
  if (spec === 'isc' && iscGiven) {
    if (isc3 > 0) mvaSc3 = (Math.sqrt(3) * baseKv * isc3) / 1000;
    if (isc1 > 0) mvaSc1 = (Math.sqrt(3) * baseKv * isc1) / 1000;
  }
  let positive: Complex;
  let zero: Complex;
  if (spec === 'ohms') {
    positive = z1 ?? { re: 0, im: 0 };
    zero = z0 ?? positive;
  } else if (spec === 'pu') {
    const scale = zBase / baseMva;
    positive = { re: (puZ1?.re ?? 0) * scale, im: (puZ1?.im ?? 0) * scale };
    zero = puZ0 === undefined ? positive : { re: puZ0.re * scale, im: puZ0.im * scale };
  } else {
    if (!(mvaSc3 > 0) || !(mvaSc1 > 0)) throw invalidElement(element, 'MVAsc3 and MVAsc1 must be positive');
    const r1 = zBase / mvaSc3 / Math.sqrt(1 + x1r1 * x1r1);
    positive = { re: r1, im: r1 * x1r1 };
    // |2 Z1 + Z0| = 3 kV² / MVAsc1 with Z0 = R0 (1 + j X0/R0): a quadratic in R0.
    const zs = zBase / mvaSc1;
    const a = 1 + x0r0 * x0r0;
    const b = 4 * (positive.re + positive.im * x0r0);
    const c = 4 * (positive.re ** 2 + positive.im ** 2) - 9 * zs * zs;
    const discriminant = b * b - 4 * a * c;
    if (discriminant < 0) throw invalidElement(element, 'MVAsc1 is inconsistent with MVAsc3 (no real R0)');
    const r0 = (-b + Math.sqrt(discriminant)) / (2 * a);
    if (r0 < 0) throw invalidElement(element, 'MVAsc1 is too high for MVAsc3 (negative R0)');
    zero = { re: r0, im: r0 * x0r0 };
  }

  const phases = terminalPhases(element, { bus, nodes: busNodes }, 3);
  if (phases.join('') !== 'abc') {
    throw unsupportedElement(element, `source nodes ${busNodes.join('.')} are not 1.2.3`);
  }
  const zeroImpedance = Math.hypot(positive.re, positive.im, zero.re, zero.im) === 0;
  const internalBus = `${bus}-vsource`;
  const modelled = !ignoreImpedance && !zeroImpedance;
  const source: Source = { bus: modelled ? internalBus : bus, kvLL: baseKv, vPu: [pu, pu, pu], angleDeg };
  return {
    source,
    bus,
    phases,
    theveninLine: modelled ? theveninLine(element, internalBus, bus, positive, zero) : undefined,
  };
}

function theveninLine(element: DssElement, from: string, to: string, z1: Complex, z0: Complex): Line {
  const self = { re: (2 * z1.re + z0.re) / 3, im: (2 * z1.im + z0.im) / 3 };
  const mutual = { re: (z0.re - z1.re) / 3, im: (z0.im - z1.im) / 3 };
  const re: number[] = [];
  const im: number[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = 0; j < 3; j++) {
      re.push(i === j ? self.re : mutual.re);
      im.push(i === j ? self.im : mutual.im);
    }
  }
  return {
    name: elementLabel(element),
    from,
    to,
    phases: ['a', 'b', 'c'],
    seriesImpedanceOhm: { re, im },
    shuntAdmittanceS: { re: new Array<number>(9).fill(0), im: new Array<number>(9).fill(0) },
  };
}
