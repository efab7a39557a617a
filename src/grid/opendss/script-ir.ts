/**
 * The intermediate representation of an OpenDSS script after its commands have run: element definitions as
 * ordered lists of property assignments (OpenDSS applies properties in the order written, so `wdg=2`
 * then `kV=4.16` sets winding 2, and `like=` copies another element's list), plus the circuit-wide
 * settings. The element builders read this; nothing here knows the network model.
 */
import type { DssClassName } from './element-classes.js';
import type { DssLocation } from './tokenizer.js';
import type { DssValue } from './values.js';

export interface DssAssignment {
  /** Canonical lower-case property name. */
  readonly property: string;
  readonly value: DssValue;
}

export interface DssElement {
  readonly className: DssClassName;
  /** Lower case: OpenDSS names are case-insensitive. */
  readonly name: string;
  /** As first written, for messages and the network's element names. */
  readonly displayName: string;
  readonly definedAt: DssLocation;
  readonly assignments: DssAssignment[];
}

export interface DssTerminalSwitching {
  readonly className: string;
  readonly name: string;
  readonly open: boolean;
  readonly location: DssLocation;
}

export interface DssScript {
  circuitName: string | undefined;
  circuitDefinedAt: DssLocation | undefined;
  /** Elements by class, then by lower-case name, in definition order; the circuit's source is `vsource.source`. */
  readonly elements: Map<DssClassName, Map<string, DssElement>>;
  voltageBasesKv: number[];
  calcVoltageBases: boolean;
  baseFrequencyHz: number;
  /** `Set earthmodel=`, lower case, when given. */
  earthModel: string | undefined;
  readonly busCoordinates: Map<string, { readonly x: number; readonly y: number }>;
  readonly switching: DssTerminalSwitching[];
  readonly warnings: string[];
}

export function emptyScript(): DssScript {
  return {
    circuitName: undefined,
    circuitDefinedAt: undefined,
    elements: new Map(),
    voltageBasesKv: [],
    calcVoltageBases: false,
    baseFrequencyHz: 60,
    earthModel: undefined,
    busCoordinates: new Map(),
    switching: [],
    warnings: [],
  };
}

export function elementsOf(script: DssScript, className: DssClassName): DssElement[] {
  return [...(script.elements.get(className)?.values() ?? [])];
}

export function findElement(
  script: DssScript,
  className: DssClassName,
  name: string,
): DssElement | undefined {
  return script.elements.get(className)?.get(name.toLowerCase());
}
