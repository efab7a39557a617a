/**
 * Reads an OpenDSS Transformer's windings, applying its properties in order: `wdg=` selects the winding
 * that `bus=`, `conn=`, `kV=`, `kVA=`, `%r=` and `tap=` then set, and the array forms (`buses=[...]`,
 * `conns=`, `kVs=`, `kVAs=`, `%Rs=`, `taps=`) set every winding at once.
 */
import { invalidElement, unsupportedElement, refuseUnmodelledProperty } from './element-reading.js';
import type { DssElement } from './script-ir.js';
import {
  parseBusSpec,
  parseNumber,
  parseNumberArray,
  parseWordArray,
  parseYesNo,
  type DssBusSpec,
  type DssValue,
} from './values.js';

export type DssConnection = 'wye' | 'delta';

export interface DssWinding {
  bus: DssBusSpec | undefined;
  connection: DssConnection;
  kv: number;
  kva: number;
  percentR: number;
  tap: number;
}

export interface DssTransformerData {
  readonly phases: number;
  readonly windings: readonly DssWinding[];
  /** Leakage reactance between windings 1 and 2, percent on winding 1's kVA. */
  readonly percentXhl: number;
  readonly bank: string | undefined;
  readonly maxTap: number;
  readonly minTap: number;
  readonly numTaps: number;
  readonly enabled: boolean;
  /** Properties that tenet drops (magnetizing branch, core losses), for a warning. */
  readonly ignored: readonly string[];
}

const IGNORED = new Set([
  'thermal', 'n', 'm', 'flrise', 'hsrise', 'normhkva', 'emerghkva', 'sub', 'subname', 'ppm_antifloat', 'xrconst',
  'wdgcurrents', 'core', 'rdcohms', 'seasons', 'ratings', 'normamps', 'emergamps', 'faultrate', 'pctperm',
  'repair', 'basefreq', 'xht', 'xlt',
]); // prettier-ignore

export function parseConnection(value: DssValue, element: DssElement): DssConnection {
  const lower = value.text.trim().toLowerCase();
  if (['wye', 'y', 'ln', 'star'].includes(lower)) return 'wye';
  if (['delta', 'd', 'll'].includes(lower)) return 'delta';
  throw invalidElement(element, `conn=${value.text} is neither wye nor delta`);
}

export function readTransformer(element: DssElement): DssTransformerData {
  let phases = 3;
  let windings: DssWinding[] = [];
  const newWinding = (): DssWinding => ({
    bus: undefined,
    connection: 'wye',
    kv: 12.47,
    kva: 1000,
    percentR: 0.2,
    tap: 1,
  });
  const resize = (count: number): void => {
    while (windings.length < count) windings.push(newWinding());
    windings = windings.slice(0, count);
  };
  resize(2);
  let active = 0;
  let percentXhl = 7;
  let bank: string | undefined;
  let maxTap = 1.1;
  let minTap = 0.9;
  let numTaps = 32;
  let enabled = true;
  const ignored: string[] = [];
  const winding = (): DssWinding => windings[active] as DssWinding;
  const eachWinding = (values: readonly unknown[], apply: (w: DssWinding, v: never) => void): void => {
    values.forEach((v, k) => {
      if (k < windings.length) apply(windings[k] as DssWinding, v as never);
    });
  };

  for (const assignment of element.assignments) {
    const { property, value } = assignment;
    const number = (): number => parseNumber(value, property);
    switch (property) {
      case 'phases':
        phases = number();
        break;
      case 'windings':
        if (number() !== 2) {
          throw unsupportedElement(
            element,
            `windings=${value.text}: only two-winding transformers are modelled`,
          );
        }
        resize(2);
        break;
      case 'wdg':
        active = number() - 1;
        if (active < 0 || active >= windings.length) {
          throw invalidElement(
            element,
            `wdg=${value.text} is not a winding of this transformer`,
            undefined,
            assignment,
          );
        }
        break;
      case 'bus':
        winding().bus = parseBusSpec(value, property);
        break;
      case 'conn':
        winding().connection = parseConnection(value, element);
        break;
      case 'kv':
        winding().kv = number();
        break;
      case 'kva':
        winding().kva = number();
        break;
      case '%r':
        winding().percentR = number();
        break;
      case 'tap':
        winding().tap = number();
        break;
      case 'buses':
        eachWinding(
          parseWordArray(value).map((word) => parseBusSpec({ ...value, text: word }, property)),
          (w, bus: DssBusSpec) => (w.bus = bus),
        );
        break;
      case 'conns':
        eachWinding(
          parseWordArray(value).map((word) => parseConnection({ ...value, text: word }, element)),
          (w, connection: DssConnection) => (w.connection = connection),
        );
        break;
      case 'kvs':
        eachWinding(parseNumberArray(value, property), (w, kv: number) => (w.kv = kv));
        break;
      case 'kvas':
        eachWinding(parseNumberArray(value, property), (w, kva: number) => (w.kva = kva));
        break;
      case '%rs':
        eachWinding(parseNumberArray(value, property), (w, r: number) => (w.percentR = r));
        break;
      case 'taps':
        eachWinding(parseNumberArray(value, property), (w, tap: number) => (w.tap = tap));
        break;
      case 'xhl':
        percentXhl = number();
        break;
      case 'xscarray':
        percentXhl = parseNumberArray(value, property)[0] ?? percentXhl;
        break;
      case '%loadloss': {
        const r = number() / 2;
        windings.forEach((w) => (w.percentR = r));
        break;
      }
      case '%noloadloss':
      case '%imag':
        if (number() !== 0) ignored.push(`${property}=${value.text}`);
        break;
      case 'rneut':
      case 'xneut':
        if (number() >= 0) ignored.push(`${property}=${value.text}`);
        break;
      case 'bank':
        bank = value.text.toLowerCase();
        break;
      case 'maxtap':
        maxTap = number();
        break;
      case 'mintap':
        minTap = number();
        break;
      case 'numtaps':
        numTaps = number();
        break;
      case 'enabled':
        enabled = parseYesNo(value, property);
        break;
      case 'leadlag':
        if (!['ansi', 'lag'].includes(value.text.toLowerCase())) {
          throw unsupportedElement(
            element,
            `leadlag=${value.text}: only the ANSI (lagging) delta-wye shift is modelled`,
          );
        }
        break;
      case 'xfmrcode':
        throw unsupportedElement(
          element,
          'xfmrcode= is not supported; write the winding data on the transformer',
        );
      default:
        refuseUnmodelledProperty(element, assignment, IGNORED);
    }
  }
  return { phases, windings, percentXhl, bank, maxTap, minTap, numTaps, enabled, ignored };
}
