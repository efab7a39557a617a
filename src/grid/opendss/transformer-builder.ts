/**
 * OpenDSS Transformers and RegControls into network transformers and regulators.
 *
 * - A three-phase two-winding transformer without a RegControl is a `Transformer`: winding 1 at `from`,
 *   winding 2 at `to`; wye with the neutral on ground (the default node 0) is `wye-grounded`, with the
 *   neutral on another node `wye`; R = %r1 + %r2 and X = XHL on winding 1's kVA; winding taps fold into the
 *   kV ratings.
 * - A transformer that a RegControl drives (wye-wye, equal kV, `winding=2`) is a step `Regulator`: tenet's
 *   regulator is an ideal variable ratio, so the few-percent leakage impedance OpenDSS gives regulators is
 *   dropped (listed in a warning). Single-phase units on the same buses with the same `bank=` and identical
 *   control settings become one regulator on their phases; units whose settings differ stay separate
 *   single-phase regulators, each with its own control (so per-phase compensator settings are kept). A
 *   three-phase regulating transformer becomes one regulator whose phases tap independently (OpenDSS gangs
 *   them to the phase its PT watches): reported in a warning.
 * - Single-phase transformers without a RegControl, three-winding units and two-phase units are not modelled.
 */
import type { Phase, Regulator, RegulatorControl, Transformer, WindingConnection } from '../network.js';
import type { BusUsage } from './element-reading.js';
import {
  elementLabel,
  invalidElement,
  sameOrder,
  terminalPhases,
  unsupportedElement,
  refuseUnmodelledProperty,
} from './element-reading.js';
import type { DssElement, DssScript } from './script-ir.js';
import { readTransformer, type DssTransformerData, type DssWinding } from './transformer-reading.js';
import { formatLocation } from './tokenizer.js';
import { parseNumber, parseYesNo } from './values.js';
import { TeError } from '../../core/errors.js';

export interface BuiltTransformers {
  readonly transformers: Transformer[];
  readonly regulators: Regulator[];
}

interface RegulatorUnit {
  readonly transformer: DssElement;
  readonly data: DssTransformerData;
  readonly from: string;
  readonly to: string;
  readonly phases: Phase[];
  readonly control: RegulatorControl | undefined;
  readonly tapSteps: number;
  readonly stepPu: number;
  readonly maxTapSteps: number;
}

const REGCONTROL_IGNORED = new Set([
  'tapdelay', 'debugtrace', 'maxtapchange', 'inversetime', 'eventlog', 'basefreq', 'reset', 'tapnum',
  'revthreshold', 'revdelay', 'revneutral', 'revvreg', 'revband', 'revr', 'revx', 'rev_z', 'cogen', 'ptphase',
]); // prettier-ignore

export function buildTransformers(script: DssScript, usage: BusUsage, warnings: string[]): BuiltTransformers {
  const controls = readControls(script);
  const transformers: Transformer[] = [];
  const units: RegulatorUnit[] = [];
  const droppedImpedance: string[] = [];

  for (const element of script.elements.get('transformer')?.values() ?? []) {
    const data = readTransformer(element);
    if (!data.enabled) {
      warnings.push(`${elementLabel(element)}: enabled=no, left out`);
      continue;
    }
    if (data.ignored.length > 0) {
      warnings.push(
        `${elementLabel(element)}: ${data.ignored.join(', ')} not modelled (no magnetizing branch or neutral impedance)`,
      );
    }
    const [high, low] = data.windings as [DssWinding, DssWinding];
    if (high.bus === undefined || low.bus === undefined)
      throw invalidElement(element, 'both windings need a bus');
    if (data.phases !== 1 && data.phases !== 3) {
      throw unsupportedElement(
        element,
        `phases=${data.phases}: tenet models three-phase transformers and 1-3 phase regulators`,
      );
    }
    const phases = terminalPhases(element, high.bus, data.phases);
    const lowPhases = terminalPhases(element, low.bus, data.phases);
    if (!sameOrder(phases, lowPhases)) {
      throw unsupportedElement(
        element,
        `winding nodes differ (${phases.join('')} / ${lowPhases.join('')}); phase-shifting connections are not modelled`,
      );
    }
    if (!(high.kv > 0 && low.kv > 0 && high.kva > 0 && low.kva > 0 && high.tap > 0 && low.tap > 0)) {
      throw invalidElement(element, 'winding kV, kVA and taps must be positive');
    }
    usage.use(high.bus.bus, phases);
    usage.use(low.bus.bus, phases);
    const control = controls.get(element.name);
    if (control !== undefined) {
      if (
        high.connection !== 'wye' ||
        low.connection !== 'wye' ||
        Math.abs(high.kv - low.kv) > 1e-9 * high.kv
      ) {
        throw unsupportedElement(
          element,
          'a regulated transformer must be wye-wye with equal winding kV (a step regulator)',
        );
      }
      const stepPu = (data.maxTap - data.minTap) / data.numTaps;
      const ratio = low.tap / high.tap;
      const percentZ = Math.hypot(high.percentR + low.percentR, data.percentXhl);
      if (percentZ > 0) droppedImpedance.push(`${element.displayName} (${percentZ.toPrecision(2)} %)`);
      if (data.phases === 3) {
        warnings.push(
          `${elementLabel(element)}: three-phase regulator; tenet taps each phase on its own (OpenDSS gangs them)`,
        );
      }
      units.push({
        transformer: element,
        data,
        from: high.bus.bus,
        to: low.bus.bus,
        phases,
        control: control.settings,
        tapSteps: Math.round((ratio - 1) / stepPu),
        stepPu,
        maxTapSteps: Math.round((data.maxTap - 1) / stepPu),
      });
      continue;
    }
    if (data.phases !== 3) {
      throw unsupportedElement(
        element,
        'single-phase transformers are modelled only as step regulators (driven by a RegControl)',
        "tenet's Transformer is a three-phase bank",
      );
    }
    const baseKva = high.kva;
    transformers.push({
      name: element.displayName,
      from: high.bus.bus,
      to: low.bus.bus,
      phases,
      connectionHigh: windingConnection(high, data.phases),
      connectionLow: windingConnection(low, data.phases),
      kvHigh: high.kv * high.tap,
      kvLow: low.kv * low.tap,
      kva: baseKva,
      resistancePu: (high.percentR + low.percentR * (baseKva / low.kva)) / 100,
      reactancePu: data.percentXhl / 100,
    });
  }
  if (droppedImpedance.length > 0) {
    warnings.push(
      `regulators are ideal ratios; leakage impedance dropped for ${droppedImpedance.join(', ')}`,
    );
  }
  return { transformers, regulators: groupRegulators(units) };
}

function windingConnection(winding: DssWinding, phases: number): WindingConnection {
  if (winding.connection === 'delta') return 'delta';
  const neutral = winding.bus?.nodes[phases];
  return neutral === undefined || neutral === 0 ? 'wye-grounded' : 'wye';
}

interface ControlEntry {
  readonly settings: RegulatorControl | undefined;
}

/** RegControls by the (lower-case) name of the transformer they drive. */
function readControls(script: DssScript): Map<string, ControlEntry> {
  const byTransformer = new Map<string, ControlEntry>();
  for (const element of script.elements.get('regcontrol')?.values() ?? []) {
    let transformer: string | undefined;
    let winding = 1;
    let enabled = true;
    let reversible = false;
    const settings = {
      bandCenterV: 120,
      bandwidthV: 3,
      ptRatio: 60,
      ctRatingA: 300,
      ldcResistanceV: 0,
      ldcReactanceV: 0,
      timeDelayS: 15,
    };
    for (const assignment of element.assignments) {
      const { property, value } = assignment;
      const number = (): number => parseNumber(value, property);
      switch (property) {
        case 'transformer':
          transformer = value.text.toLowerCase();
          break;
        case 'winding':
        case 'tapwinding':
          winding = number();
          break;
        case 'vreg':
          settings.bandCenterV = number();
          break;
        case 'band':
          settings.bandwidthV = number();
          break;
        case 'ptratio':
          settings.ptRatio = number();
          break;
        case 'ctprim':
          settings.ctRatingA = number();
          break;
        case 'r':
          settings.ldcResistanceV = number();
          break;
        case 'x':
          settings.ldcReactanceV = number();
          break;
        case 'delay':
          settings.timeDelayS = number();
          break;
        case 'enabled':
          enabled = parseYesNo(value, property);
          break;
        case 'reversible':
          reversible = parseYesNo(value, property);
          break;
        case 'bus':
        case 'remoteptratio':
        case 'ldc_z':
        case 'vlimit':
          throw unsupportedElement(
            element,
            `${property}= (remote sensing, Z compensation, voltage limit) is not modelled`,
            undefined,
            assignment,
          );
        default:
          refuseUnmodelledProperty(element, assignment, REGCONTROL_IGNORED);
      }
    }
    if (transformer === undefined) throw invalidElement(element, 'a RegControl needs transformer=');
    if (script.elements.get('transformer')?.get(transformer) === undefined) {
      throw new TeError('TE_ERR_DSS_REFERENCE', `transformer '${transformer}' is not defined`, {
        path: `${formatLocation(element.definedAt)} ${elementLabel(element)}`,
        hint: 'define the transformer before (or in a file redirected before) the RegControl',
      });
    }
    if (winding !== 2) {
      throw unsupportedElement(
        element,
        `winding=${winding}: tenet regulates winding 2 (the bus2 side)`,
        'set winding=2',
      );
    }
    if (reversible) {
      throw unsupportedElement(element, 'reversible=yes is not modelled');
    }
    if (byTransformer.has(transformer)) {
      throw unsupportedElement(element, `transformer ${transformer} already has a RegControl`);
    }
    byTransformer.set(transformer, { settings: enabled ? settings : undefined });
  }
  return byTransformer;
}

function groupRegulators(units: readonly RegulatorUnit[]): Regulator[] {
  const groups = new Map<string, RegulatorUnit[]>();
  for (const unit of units) {
    const key =
      unit.data.phases === 1 && unit.data.bank !== undefined
        ? JSON.stringify([unit.from, unit.to, unit.data.bank, unit.control, unit.stepPu, unit.maxTapSteps])
        : `unit:${unit.transformer.name}`;
    const group = groups.get(key) ?? [];
    // A phase already taken in the group starts a new regulator rather than overlapping.
    if (group.some((member) => member.phases.some((phase) => unit.phases.includes(phase)))) {
      groups.set(`unit:${unit.transformer.name}`, [unit]);
      continue;
    }
    group.push(unit);
    groups.set(key, group);
  }
  const bankSplit = new Map<string, number>();
  for (const group of groups.values()) {
    const bank = group[0]?.data.bank;
    if (bank !== undefined) bankSplit.set(bank, (bankSplit.get(bank) ?? 0) + 1);
  }
  return [...groups.values()].map((group) => {
    const first = group[0] as RegulatorUnit;
    const bank = first.data.bank;
    const tapSteps: [number, number, number] = [0, 0, 0];
    const phases: Phase[] = [];
    for (const unit of group) {
      unit.phases.forEach((phase) => {
        phases.push(phase);
        tapSteps[phase === 'a' ? 0 : phase === 'b' ? 1 : 2] = unit.tapSteps;
      });
    }
    const name =
      group.length > 1 && bank !== undefined && bankSplit.get(bank) === 1
        ? bank
        : first.transformer.displayName;
    return {
      name,
      from: first.from,
      to: first.to,
      phases: (['a', 'b', 'c'] as const).filter((phase) => phases.includes(phase)),
      tapSteps,
      ...(first.control === undefined ? {} : { control: first.control }),
      maxTapSteps: first.maxTapSteps,
      stepPu: first.stepPu,
    };
  });
}
