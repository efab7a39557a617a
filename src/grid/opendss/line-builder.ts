/**
 * OpenDSS Lines into network lines and switches. A `switch=yes` line becomes an ideal `Switch` (OpenDSS
 * gives it a tiny impedance; tenet's switch has none). Impedance comes from `linecode=`, `geometry=` or the
 * line's own r1/x1/... or matrices; the phases are the nodes of bus1, which must match those of bus2.
 */
import type { Line, Phase, PhaseMatrix, Switch } from '../network.js';
import { phaseIndex } from '../network.js';
import type { BusUsage } from './element-reading.js';
import {
  elementLabel,
  invalidElement,
  sameOrder,
  terminalPhases,
  unsupportedElement,
  refuseUnmodelledProperty,
} from './element-reading.js';
import {
  geometryImpedance,
  IMPEDANCE_PROPERTIES,
  impedanceFromAssignments,
  lineCodeImpedance,
  scaleToLength,
  type PerLengthImpedance,
} from './line-impedance.js';
import { parseLengthUnit, type DssLengthUnit } from './length-units.js';
import type { DssAssignment, DssElement, DssScript } from './script-ir.js';
import { findElement } from './script-ir.js';
import { formatLocation } from './tokenizer.js';
import { parseBusSpec, parseNumber, parseYesNo, type DssBusSpec } from './values.js';
import { TeError } from '../../core/errors.js';

export interface BuiltLines {
  readonly lines: Line[];
  readonly switches: Switch[];
}

const IGNORED = new Set([
  'emergamps', 'faultrate', 'pctperm', 'repair', 'seasons', 'ratings', 'linetype', 'basefreq', 'rg', 'xg',
]); // prettier-ignore

export function buildLines(script: DssScript, usage: BusUsage, warnings: string[]): BuiltLines {
  const lines: Line[] = [];
  const switches: Switch[] = [];
  const codeCache = new Map<string, PerLengthImpedance>();
  let geometryWarned = false;
  const reference = (className: 'linecode' | 'linegeometry' | 'wiredata', at: DssAssignment): DssElement => {
    const found = findElement(script, className, at.value.text);
    if (found === undefined) {
      throw new TeError('TE_ERR_DSS_REFERENCE', `${className} '${at.value.text}' is not defined`, {
        path: formatLocation(at.value.location),
        hint: `define it with New ${className}.${at.value.text} before the line (or Redirect the file that does)`,
      });
    }
    return found;
  };

  for (const element of script.elements.get('line')?.values() ?? []) {
    let bus1: DssBusSpec | undefined;
    let bus2: DssBusSpec | undefined;
    let phaseCount = 3;
    let length = 1;
    let unit: DssLengthUnit = 'none';
    let isSwitch = false;
    let enabled = true;
    let rho = 100;
    let ratingA: number | undefined;
    let code: DssElement | undefined;
    let geometry: DssElement | undefined;
    const own: DssAssignment[] = [];
    let bus1At: DssAssignment | undefined;
    for (const assignment of element.assignments) {
      const { property, value } = assignment;
      const number = (): number => parseNumber(value, property);
      if (property === 'bus1') {
        bus1 = parseBusSpec(value, property);
        bus1At = assignment;
      } else if (property === 'bus2') bus2 = parseBusSpec(value, property);
      else if (property === 'phases') phaseCount = number();
      else if (property === 'length') length = number();
      else if (property === 'units') unit = parseLengthUnit(value, property);
      else if (property === 'switch') isSwitch = parseYesNo(value, property);
      else if (property === 'enabled') enabled = parseYesNo(value, property);
      else if (property === 'rho') rho = number();
      else if (property === 'normamps') ratingA = number();
      else if (property === 'linecode') {
        code = reference('linecode', assignment);
        geometry = undefined;
      } else if (property === 'geometry') {
        geometry = reference('linegeometry', assignment);
        code = undefined;
      } else if (property === 'earthmodel') {
        if (value.text.toLowerCase() !== 'carson') {
          throw unsupportedElement(
            element,
            `earthmodel=${value.text}: tenet uses the (modified) Carson equations`,
          );
        }
      } else if (IMPEDANCE_PROPERTIES.has(property)) own.push(assignment);
      else refuseUnmodelledProperty(element, assignment, IGNORED);
    }
    if (!enabled) {
      warnings.push(`${elementLabel(element)}: enabled=no, left out`);
      continue;
    }
    if (bus1 === undefined || bus2 === undefined) {
      throw invalidElement(element, 'a line needs bus1 and bus2');
    }
    if (code !== undefined) {
      let cached = codeCache.get(code.name);
      if (cached === undefined) {
        cached = lineCodeImpedance(code, script.baseFrequencyHz);
        codeCache.set(code.name, cached);
      }
      phaseCount = cached.conductors;
    }
    const phases = terminalPhases(element, bus1, phaseCount, bus1At);
    const phases2 = terminalPhases(element, bus2, phaseCount);
    if (!sameOrder(phases, phases2)) {
      throw unsupportedElement(
        element,
        `bus1 nodes (${phases.join('')}) and bus2 nodes (${phases2.join('')}) differ; transpositions are not modelled`,
      );
    }
    usage.use(bus1.bus, phases);
    usage.use(bus2.bus, phases);
    if (isSwitch) {
      switches.push({ name: element.displayName, from: bus1.bus, to: bus2.bus, phases, closed: true });
      continue;
    }
    if (code !== undefined && own.length > 0) {
      throw unsupportedElement(element, 'impedance given both by linecode= and on the line; use one of them');
    }
    let perLength: PerLengthImpedance;
    if (code !== undefined) {
      perLength = codeCache.get(code.name) as PerLengthImpedance;
    } else if (geometry !== undefined) {
      if (unit === 'none') {
        throw invalidElement(
          element,
          'a line built from a geometry needs units= for its length',
          'add units=ft (or mi, km, ...)',
        );
      }
      if (script.earthModel !== 'carson' && !geometryWarned) {
        geometryWarned = true;
        warnings.push(
          `${elementLabel(element)}: geometry impedances use the modified Carson equations (OpenDSS's default earth model is Deri; Set earthmodel=carson matches)`,
        );
      }
      perLength = geometryImpedance(
        geometry,
        phases,
        (name, at) => reference('wiredata', { ...at, value: { ...at.value, text: name } }),
        rho,
        script.baseFrequencyHz,
        warnings,
      );
    } else {
      perLength = {
        conductors: phaseCount,
        unit,
        frequencyHz: script.baseFrequencyHz,
        ratingA: undefined,
        ...impedanceFromAssignments(element, own, phaseCount, script.baseFrequencyHz),
      };
    }
    if (!(length > 0)) throw invalidElement(element, `length must be positive, got ${length}`);
    const total = scaleToLength(perLength, length, unit, script.baseFrequencyHz);
    const rating = ratingA ?? perLength.ratingA;
    lines.push({
      name: element.displayName,
      from: bus1.bus,
      to: bus2.bus,
      phases,
      seriesImpedanceOhm: toPhaseMatrix(phases, total.rOhm, total.xOhm),
      shuntAdmittanceS: toPhaseMatrix(phases, undefined, total.bS),
      ...(rating === undefined ? {} : { ratingA: rating }),
    });
  }
  return { lines, switches };
}

/** Conductor-order matrices onto the a/b/c positions of `phases`. */
function toPhaseMatrix(
  phases: readonly Phase[],
  real: number[][] | undefined,
  imaginary: number[][],
): PhaseMatrix {
  const re = new Array<number>(9).fill(0);
  const im = new Array<number>(9).fill(0);
  phases.forEach((pi, i) => {
    phases.forEach((pj, j) => {
      const index = 3 * phaseIndex(pi) + phaseIndex(pj);
      re[index] = real?.[i]?.[j] ?? 0;
      im[index] = imaginary[i]?.[j] ?? 0;
    });
  });
  return { re, im };
}
