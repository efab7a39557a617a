/**
 * OpenDSS Loads and Capacitors into network loads and capacitors.
 *
 * Load models: 1 constant P and Q; 2 constant impedance; 5 constant current; 6 (fixed Q) as 1; 8 ZIP when
 * the P and Q fractions agree. Models whose P and Q follow different laws (3: constant P, quadratic Q;
 * 4: exponential with CVRwatts/CVRvars of 0, 1 or 2; 7: constant P, constant-impedance Q; ZIP with different
 * P and Q fractions) are split into two network loads on the same terminals, `<name>` carrying the P and
 * `<name>:q` the Q, each with its own voltage law, which is exact. OpenDSS switches any load to constant
 * impedance below `vminpu` (default 0.95) and above `vmaxpu` (1.05); tenet keeps the declared law at every
 * voltage (a warning says so).
 *
 * Ratings: `kV` is line-to-line for 2- and 3-phase elements; for a single-phase element it is the voltage
 * across it (line-to-neutral when wye, line-to-line when delta), converted to the network's line-to-line kV.
 */
import type {
  Capacitor,
  Load,
  LoadModel,
  Phase,
  PhasePower,
  ShuntConnection,
  ZipFractions,
} from '../network.js';
import type { BusUsage } from './element-reading.js';
import {
  elementLabel,
  invalidElement,
  terminalPhases,
  unsupportedElement,
  refuseUnmodelledProperty,
} from './element-reading.js';
import type { DssElement, DssScript } from './script-ir.js';
import { parseConnection } from './transformer-reading.js';
import { parseBusSpec, parseNumber, parseNumberArray, parseYesNo, type DssBusSpec } from './values.js';

const LOAD_IGNORED = new Set([
  'yearly', 'daily', 'duty', 'growth', 'status', 'class', 'vminnorm', 'vminemerg', 'xfkva', 'allocationfactor',
  '%mean', '%stddev', 'kwh', 'kwhdays', 'cfactor', 'cvrcurve', 'numcust', '%seriesrl', 'relweight', 'vlowpu',
  'puxharm', 'xrharm', 'spectrum', 'basefreq', 'rneut', 'xneut',
]); // prettier-ignore

/** Where a shunt element sits: its bus, connection and the phases (or delta branches) it uses. */
interface ShuntTerminal {
  readonly bus: string;
  readonly connection: ShuntConnection;
  /** Wye: the phases; delta: the branch that starts at each phase (a → ab, b → bc, c → ca). */
  readonly legs: Phase[];
  readonly busPhases: Phase[];
}

const NEXT: Record<Phase, Phase> = { a: 'b', b: 'c', c: 'a' };

function shuntTerminal(
  element: DssElement,
  spec: DssBusSpec,
  phases: number,
  connection: ShuntConnection,
  groundedDelta: string[],
): ShuntTerminal {
  if (phases === 1) {
    // A single-phase element between two phase nodes is a delta branch whatever conn= says. OpenDSS
    // grounds a second conductor the script leaves out, so `conn=delta bus1=x.2` sits phase b to ground.
    const second = spec.nodes[1];
    const twoNodes = spec.nodes.length >= 2 && second !== undefined && second !== 0;
    if (connection === 'delta' && !twoNodes) groundedDelta.push(elementLabel(element));
    if (twoNodes) {
      const [p, q] = terminalPhases(element, spec, 2) as [Phase, Phase];
      const leg = NEXT[p] === q ? p : NEXT[q] === p ? q : undefined;
      if (leg === undefined)
        throw invalidElement(element, `delta nodes ${spec.nodes.join('.')} are not two different phases`);
      return { bus: spec.bus, connection: 'delta', legs: [leg], busPhases: [p, q] };
    }
    const [p] = terminalPhases(element, spec, 1) as [Phase];
    return { bus: spec.bus, connection: 'wye', legs: [p], busPhases: [p] };
  }
  const busPhases = terminalPhases(element, spec, phases);
  if (connection === 'wye') return { bus: spec.bus, connection, legs: busPhases, busPhases };
  if (phases !== 3) throw unsupportedElement(element, `a ${phases}-phase delta element is not modelled`);
  return { bus: spec.bus, connection, legs: ['a', 'b', 'c'], busPhases };
}

/** The network's line-to-line kV for an OpenDSS element kV. */
function kvLineToLine(kv: number, phases: number, connection: ShuntConnection): number {
  return phases === 1 && connection === 'wye' ? kv * Math.sqrt(3) : kv;
}

interface LoadLaw {
  readonly model: LoadModel;
  readonly zip?: ZipFractions;
}

const CONSTANT_POWER: LoadLaw = { model: 'constant-power' };
const CONSTANT_CURRENT: LoadLaw = { model: 'constant-current' };
const CONSTANT_IMPEDANCE: LoadLaw = { model: 'constant-impedance' };

function exponentLaw(element: DssElement, exponent: number, what: string): LoadLaw {
  if (exponent === 0) return CONSTANT_POWER;
  if (exponent === 1) return CONSTANT_CURRENT;
  if (exponent === 2) return CONSTANT_IMPEDANCE;
  throw unsupportedElement(
    element,
    `model=4 with ${what}=${exponent}: only exponents 0, 1 and 2 are modelled`,
  );
}

export function buildLoads(script: DssScript, usage: BusUsage, warnings: string[]): Load[] {
  const loads: Load[] = [];
  const groundedDelta: string[] = [];
  for (const element of script.elements.get('load')?.values() ?? []) {
    let phases = 3;
    let bus: DssBusSpec | undefined;
    let kv = 12.47;
    let kw = 10;
    let pf = 0.88;
    let kvar: number | undefined;
    let kva: number | undefined;
    let model = 1;
    let connection: ShuntConnection = 'wye';
    let cvrWatts = 1;
    let cvrVars = 2;
    let zipv: number[] | undefined;
    let enabled = true;
    for (const assignment of element.assignments) {
      const { property, value } = assignment;
      const number = (): number => parseNumber(value, property);
      switch (property) {
        case 'phases':
          phases = number();
          break;
        case 'bus1':
          bus = parseBusSpec(value, property);
          break;
        case 'kv':
          kv = number();
          break;
        case 'kw':
          kw = number();
          kva = undefined;
          break;
        case 'pf':
          pf = number();
          kvar = undefined;
          break;
        case 'kvar':
          kvar = number();
          break;
        case 'kva':
          kva = number();
          break;
        case 'model':
          model = number();
          break;
        case 'conn':
          connection = parseConnection(value, element);
          break;
        case 'cvrwatts':
          cvrWatts = number();
          break;
        case 'cvrvars':
          cvrVars = number();
          break;
        case 'zipv':
          zipv = parseNumberArray(value, property);
          break;
        case 'vminpu':
        case 'vmaxpu':
          break;
        case 'enabled':
          enabled = parseYesNo(value, property);
          break;
        default:
          refuseUnmodelledProperty(element, assignment, LOAD_IGNORED);
      }
    }
    if (!enabled) {
      warnings.push(`${elementLabel(element)}: enabled=no, left out`);
      continue;
    }
    if (bus === undefined) throw invalidElement(element, 'a load needs bus1');
    if (!(kv > 0)) throw invalidElement(element, `kV must be positive, got ${kv}`);
    if (kva !== undefined) kw = kva * Math.abs(pf);
    const q = kvar ?? (pf === 0 ? kw : Math.sign(pf) * kw * Math.sqrt(Math.max(0, 1 / (pf * pf) - 1)));
    const terminal = shuntTerminal(element, bus, phases, connection, groundedDelta);
    usage.use(terminal.bus, terminal.busPhases);
    const share = (p: number, qv: number): PhasePower[] =>
      terminal.legs.map((phase) => ({
        phase,
        pKw: p / terminal.legs.length,
        qKvar: qv / terminal.legs.length,
      }));
    const base = {
      bus: terminal.bus,
      connection: terminal.connection,
      nominalKvLL: kvLineToLine(kv, phases, terminal.connection),
    };
    const push = (name: string, law: LoadLaw, p: number, qv: number): void => {
      loads.push({
        name,
        ...base,
        model: law.model,
        ...(law.zip === undefined ? {} : { zip: law.zip }),
        phasePowers: share(p, qv),
      });
    };
    const split = (pLaw: LoadLaw, qLaw: LoadLaw): void => {
      if (pLaw.model === qLaw.model && JSON.stringify(pLaw.zip) === JSON.stringify(qLaw.zip)) {
        push(element.displayName, pLaw, kw, q);
      } else {
        push(element.displayName, pLaw, kw, 0);
        push(`${element.displayName}:q`, qLaw, 0, q);
      }
    };
    switch (model) {
      case 1:
      case 6:
        split(CONSTANT_POWER, CONSTANT_POWER);
        break;
      case 2:
        split(CONSTANT_IMPEDANCE, CONSTANT_IMPEDANCE);
        break;
      case 5:
        split(CONSTANT_CURRENT, CONSTANT_CURRENT);
        break;
      case 3:
      case 7:
        split(CONSTANT_POWER, CONSTANT_IMPEDANCE);
        break;
      case 4:
        split(exponentLaw(element, cvrWatts, 'CVRwatts'), exponentLaw(element, cvrVars, 'CVRvars'));
        break;
      case 8: {
        if (zipv === undefined || zipv.length < 6)
          throw invalidElement(element, 'model=8 needs ZIPV with 6 (or 7) numbers');
        const [zp, ip, pp, zq, iq, pq] = zipv as [number, number, number, number, number, number];
        split(zipLaw(element, zp, ip, pp), zipLaw(element, zq, iq, pq));
        break;
      }
      default:
        throw unsupportedElement(
          element,
          `load model=${model} is not modelled (1, 2, 3, 4, 5, 6, 7 and 8 are)`,
        );
    }
  }
  warnGroundedDelta(groundedDelta, warnings);
  if (loads.length > 0) {
    warnings.push(
      "loads keep their voltage law at every voltage: OpenDSS's switch to constant impedance outside vminpu..vmaxpu (default 0.95..1.05) is not modelled",
    );
  }
  return loads;
}

function zipLaw(element: DssElement, impedance: number, current: number, power: number): LoadLaw {
  const sum = impedance + current + power;
  if (Math.abs(sum - 1) > 1e-6) throw invalidElement(element, `ZIP fractions sum to ${sum}, not 1`);
  return { model: 'zip', zip: { impedance, current, power } };
}

const CAPACITOR_IGNORED = new Set([
  'normamps',
  'emergamps',
  'faultrate',
  'pctperm',
  'repair',
  'basefreq',
  'harm',
]);

export function buildCapacitors(script: DssScript, usage: BusUsage, warnings: string[]): Capacitor[] {
  const capacitors: Capacitor[] = [];
  const groundedDelta: string[] = [];
  for (const element of script.elements.get('capacitor')?.values() ?? []) {
    let phases = 3;
    let bus: DssBusSpec | undefined;
    let kv = 12.47;
    let kvarSteps = [1200];
    let states: number[] | undefined;
    let connection: ShuntConnection = 'wye';
    let enabled = true;
    for (const assignment of element.assignments) {
      const { property, value } = assignment;
      switch (property) {
        case 'bus1':
          bus = parseBusSpec(value, property);
          break;
        case 'bus2':
          if (parseBusSpec(value, property).nodes.some((node) => node !== 0)) {
            throw unsupportedElement(
              element,
              'series or ungrounded capacitors (bus2 off ground) are not modelled',
              undefined,
              assignment,
            );
          }
          break;
        case 'phases':
          phases = parseNumber(value, property);
          break;
        case 'kvar':
          kvarSteps = parseNumberArray(value, property);
          break;
        case 'kv':
          kv = parseNumber(value, property);
          break;
        case 'conn':
          connection = parseConnection(value, element);
          break;
        case 'states':
          states = parseNumberArray(value, property);
          break;
        case 'numsteps':
          break;
        case 'enabled':
          enabled = parseYesNo(value, property);
          break;
        case 'cmatrix':
        case 'cuf':
        case 'r':
        case 'xl':
          throw unsupportedElement(
            element,
            `${property}= is not modelled; give kvar= and kV=`,
            undefined,
            assignment,
          );
        default:
          refuseUnmodelledProperty(element, assignment, CAPACITOR_IGNORED);
      }
    }
    if (!enabled) {
      warnings.push(`${elementLabel(element)}: enabled=no, left out`);
      continue;
    }
    if (bus === undefined) throw invalidElement(element, 'a capacitor needs bus1');
    if (!(kv > 0)) throw invalidElement(element, `kV must be positive, got ${kv}`);
    const closedSteps = kvarSteps.filter((_, step) => (states?.[step] ?? 1) !== 0);
    const kvar = closedSteps.reduce((sum, value) => sum + value, 0);
    const terminal = shuntTerminal(element, bus, phases, connection, groundedDelta);
    usage.use(terminal.bus, terminal.busPhases);
    capacitors.push({
      name: element.displayName,
      bus: terminal.bus,
      connection: terminal.connection,
      phaseKvar: terminal.legs.map((phase) => ({ phase, kvar: kvar / terminal.legs.length })),
      ratedKvLL: kvLineToLine(kv, phases, terminal.connection),
      ...(closedSteps.length === 0 ? { closed: false } : {}),
    });
  }
  warnGroundedDelta(groundedDelta, warnings);
  return capacitors;
}

/** OpenDSS grounds the second conductor a single-phase delta element leaves out; tenet does the same. */
function warnGroundedDelta(labels: readonly string[], warnings: string[]): void {
  if (labels.length === 0) return;
  warnings.push(
    `single-phase conn=delta on one node, so phase to ground at the kV given (OpenDSS grounds the missing second conductor): ${labels.join(', ')}`,
  );
}
