/**
 * Puts the built elements together into a `Network`: the buses (phases from the nodes the elements use,
 * coordinates from BusCoords, nominal kV from `Set voltagebases` as CalcVoltageBases would give them), the
 * Open/Close commands applied to switches, and the source.
 */
import { TeError } from '../../core/errors.js';
import type { Bus, Line, Network, Switch, Transformer } from '../network.js';
import { emptyNetwork } from '../network.js';
import { BusUsage } from './element-reading.js';
import { buildLines } from './line-builder.js';
import type { DssScript } from './script-ir.js';
import { buildCapacitors, buildLoads } from './shunt-builder.js';
import { buildSource } from './source-builder.js';
import { formatLocation } from './tokenizer.js';
import { buildTransformers } from './transformer-builder.js';

export interface AssemblyOptions {
  /** `'model'` (default) keeps the Vsource's Thevenin impedance as a line; `'ignore'` makes the source ideal. */
  readonly sourceImpedance?: 'model' | 'ignore';
}

export function assembleNetwork(
  script: DssScript,
  options: AssemblyOptions = {},
): { network: Network; warnings: string[] } {
  const warnings = [...script.warnings];
  const sourceElement = script.elements.get('vsource')?.get('source');
  if (script.circuitName === undefined || sourceElement === undefined) {
    throw new TeError('TE_ERR_DSS_INVALID', 'the script defines no circuit', {
      hint: 'start it with New Circuit.<name> basekV=... (after Clear)',
    });
  }
  const usage = new BusUsage();
  const built = buildSource(sourceElement, options.sourceImpedance === 'ignore');
  if (built.theveninLine !== undefined) usage.use(built.source.bus, built.phases);
  usage.use(built.bus, built.phases);
  const { lines, switches } = buildLines(script, usage, warnings);
  const { transformers, regulators } = buildTransformers(script, usage, warnings);
  const loads = buildLoads(script, usage, warnings);
  const capacitors = buildCapacitors(script, usage, warnings);
  const switchState = applySwitching(script, lines, switches, warnings);

  const allLines =
    built.theveninLine === undefined ? switchState.lines : [built.theveninLine, ...switchState.lines];
  const nominal = nominalVoltages(
    script,
    built.source.bus,
    built.source.kvLL,
    allLines,
    switchState.switches,
    transformers,
    regulators,
  );
  const buses: Bus[] = usage.entries().map(([name, phases]) => {
    const coordinates = script.busCoordinates.get(name);
    const kv = nominal.get(name);
    return {
      name,
      phases,
      ...(kv === undefined ? {} : { nominalKvLL: kv }),
      ...(coordinates === undefined ? {} : { x: coordinates.x, y: coordinates.y }),
    };
  });
  return {
    network: {
      ...emptyNetwork(script.circuitName.toLowerCase(), built.source),
      buses,
      lines: allLines,
      transformers,
      regulators,
      switches: switchState.switches,
      loads,
      capacitors,
    },
    warnings,
  };
}

/** Open/Close on a Line: a switch opens or closes; a plain line that is opened becomes an open switch. */
function applySwitching(
  script: DssScript,
  lines: Line[],
  switches: Switch[],
  warnings: string[],
): { lines: Line[]; switches: Switch[] } {
  let currentLines = [...lines];
  const currentSwitches = [...switches];
  for (const action of script.switching) {
    if (action.className !== 'line') {
      throw new TeError(
        'TE_ERR_DSS_UNSUPPORTED',
        `Open/Close of ${action.className}.${action.name}: only lines are switched`,
        {
          path: formatLocation(action.location),
        },
      );
    }
    const switchIndex = currentSwitches.findIndex((s) => s.name.toLowerCase() === action.name);
    if (switchIndex >= 0) {
      currentSwitches[switchIndex] = { ...(currentSwitches[switchIndex] as Switch), closed: !action.open };
      continue;
    }
    const line = currentLines.find((l) => l.name.toLowerCase() === action.name);
    if (line === undefined) {
      throw new TeError('TE_ERR_DSS_REFERENCE', `Open/Close: no line '${action.name}'`, {
        path: formatLocation(action.location),
      });
    }
    if (!action.open) continue;
    warnings.push(`${formatLocation(action.location)}: line ${line.name} opened; modelled as an open switch`);
    currentLines = currentLines.filter((l) => l !== line);
    currentSwitches.push({
      name: line.name,
      from: line.from,
      to: line.to,
      phases: line.phases,
      closed: false,
    });
  }
  return { lines: currentLines, switches: currentSwitches };
}

/**
 * Nominal line-to-line kV per bus, as OpenDSS's CalcVoltageBases gives them: the voltage each bus would have
 * at no load (source kV carried through lines and switches, scaled by transformer ratings), snapped to the
 * nearest of `Set voltagebases`. Only when the script gives voltage bases; otherwise the solver derives them.
 */
function nominalVoltages(
  script: DssScript,
  sourceBus: string,
  sourceKv: number,
  lines: readonly Line[],
  switches: readonly Switch[],
  transformers: readonly Transformer[],
  regulators: readonly { from: string; to: string }[],
): Map<string, number> {
  const result = new Map<string, number>();
  if (script.voltageBasesKv.length === 0) return result;
  const edges = new Map<string, { to: string; ratio: number }[]>();
  const connect = (a: string, b: string, ratio: number): void => {
    edges.set(a, [...(edges.get(a) ?? []), { to: b, ratio }]);
    edges.set(b, [...(edges.get(b) ?? []), { to: a, ratio: 1 / ratio }]);
  };
  for (const element of [...lines, ...switches, ...regulators]) connect(element.from, element.to, 1);
  for (const t of transformers) connect(t.from, t.to, t.kvLow / t.kvHigh);
  const raw = new Map<string, number>([[sourceBus, sourceKv]]);
  const queue = [sourceBus];
  while (queue.length > 0) {
    const bus = queue.shift() as string;
    const kv = raw.get(bus) as number;
    for (const edge of edges.get(bus) ?? []) {
      if (raw.has(edge.to)) continue;
      raw.set(edge.to, kv * edge.ratio);
      queue.push(edge.to);
    }
  }
  for (const [bus, kv] of raw) {
    let best = script.voltageBasesKv[0] as number;
    for (const base of script.voltageBasesKv) {
      if (Math.abs(Math.log(base / kv)) < Math.abs(Math.log(best / kv))) best = base;
    }
    result.set(bus, best);
  }
  return result;
}
