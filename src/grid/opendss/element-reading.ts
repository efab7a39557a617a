/**
 * Helpers the element builders share: error messages that name the element and the line, node-to-phase
 * mapping, and the bus usage the network assembly collects.
 */
import { TeError } from '../../core/errors.js';
import type { Phase } from '../network.js';
import type { DssAssignment, DssElement } from './script-ir.js';
import { formatLocation } from './tokenizer.js';
import type { DssBusSpec } from './values.js';

export function elementLabel(element: DssElement): string {
  return `${element.className}.${element.displayName}`;
}

function where(element: DssElement, assignment: DssAssignment | undefined): string {
  return `${formatLocation(assignment?.value.location ?? element.definedAt)} ${elementLabel(element)}`;
}

export function invalidElement(
  element: DssElement,
  message: string,
  hint?: string,
  assignment?: DssAssignment,
): TeError {
  return new TeError('TE_ERR_DSS_INVALID', message, {
    path: where(element, assignment),
    ...(hint === undefined ? {} : { hint }),
  });
}

export function unsupportedElement(
  element: DssElement,
  message: string,
  hint?: string,
  assignment?: DssAssignment,
): TeError {
  return new TeError('TE_ERR_DSS_UNSUPPORTED', message, {
    path: where(element, assignment),
    ...(hint === undefined ? {} : { hint }),
  });
}

/**
 * A property the reader does not model: fine when it is in `ignored` (it does not change the circuit),
 * otherwise refused, naming the property and its line.
 */
export function refuseUnmodelledProperty(
  element: DssElement,
  assignment: DssAssignment,
  ignored: ReadonlySet<string>,
): void {
  if (ignored.has(assignment.property)) return;
  throw unsupportedElement(
    element,
    `property '${assignment.property}' is not modelled`,
    undefined,
    assignment,
  );
}

const NODE_PHASES: Record<number, Phase> = { 1: 'a', 2: 'b', 3: 'c' };

/** Phase of OpenDSS node 1, 2 or 3; `undefined` for ground (0) and neutral or extra nodes (4+). */
export function phaseOfNode(node: number): Phase | undefined {
  return NODE_PHASES[node];
}

/**
 * The phases a terminal with `conductors` conductors connects to: its first `conductors` nodes (1, 2, 3...
 * when the script gives none). Every one must be a phase node (1-3).
 */
export function terminalPhases(
  element: DssElement,
  spec: DssBusSpec,
  conductors: number,
  assignment?: DssAssignment,
): Phase[] {
  const nodes = spec.nodes.length === 0 ? [1, 2, 3].slice(0, conductors) : spec.nodes.slice(0, conductors);
  if (nodes.length < conductors) {
    throw invalidElement(
      element,
      `bus ${spec.bus} names ${nodes.length} node(s) for ${conductors} phase(s)`,
      'give one node per phase, e.g. bus.1.2.3',
      assignment,
    );
  }
  return nodes.map((node) => {
    const phase = phaseOfNode(node);
    if (phase === undefined) {
      throw unsupportedElement(
        element,
        `node ${node} of bus ${spec.bus} is not a phase (1, 2 or 3); tenet's network has no explicit neutral or ground conductor`,
        'connect phase conductors to nodes 1-3',
        assignment,
      );
    }
    return phase;
  });
}

export function sameOrder(a: readonly Phase[], b: readonly Phase[]): boolean {
  return a.length === b.length && a.every((phase, i) => phase === b[i]);
}

/** Records which phases each bus uses, in the order buses are first met. */
export class BusUsage {
  private readonly phasesByBus = new Map<string, Set<Phase>>();

  use(bus: string, phases: readonly Phase[]): void {
    let set = this.phasesByBus.get(bus);
    if (set === undefined) {
      set = new Set();
      this.phasesByBus.set(bus, set);
    }
    for (const phase of phases) set.add(phase);
  }

  entries(): [string, Phase[]][] {
    const order: Phase[] = ['a', 'b', 'c'];
    return [...this.phasesByBus].map(([bus, set]) => [bus, order.filter((phase) => set.has(phase))]);
  }
}
