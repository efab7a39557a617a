/**
 * Violations as the Grid view lists them: what kind, which element (a bus, a line or the substation, so
 * a click can find it on the map), and the value against its limit in the limit's own unit.
 */
import { formatNumber, formatPowerKw } from '../format';
import type { GridViolation, ViolationKind } from './grid-contract';

export type ElementKind = 'bus' | 'line';

export interface ViolationRow {
  readonly key: string;
  readonly kind: ViolationKind;
  readonly kindLabel: string;
  readonly elementId: string;
  readonly elementKind: ElementKind;
  readonly value: string;
  readonly limit: string;
  /** How far past the limit, as a fraction of it (for ordering the worst first). */
  readonly severity: number;
}

const KIND_LABELS: Readonly<Record<ViolationKind, string>> = {
  undervoltage: 'Undervoltage',
  overvoltage: 'Overvoltage',
  overload: 'Line overload',
  substation: 'Substation over capacity',
};

export function violationRows(violations: readonly GridViolation[]): ViolationRow[] {
  return violations
    .map((v, index) => ({
      key: `${v.kind}:${v.elementId}:${index}`,
      kind: v.kind,
      kindLabel: KIND_LABELS[v.kind] ?? v.kind,
      elementId: v.elementId,
      elementKind: v.kind === 'overload' ? ('line' as const) : ('bus' as const),
      value: formatValue(v.kind, v.value),
      limit: formatValue(v.kind, v.limit),
      severity: v.limit === 0 ? 0 : Math.abs(v.value - v.limit) / Math.abs(v.limit),
    }))
    .sort((a, b) => b.severity - a.severity || a.elementId.localeCompare(b.elementId));
}

function formatValue(kind: ViolationKind, value: number): string {
  switch (kind) {
    case 'undervoltage':
    case 'overvoltage':
      return `${formatNumber(value, 3)} pu`;
    case 'overload':
      return `${formatNumber(value, 0)} %`;
    case 'substation':
      return formatPowerKw(value);
    default:
      return formatNumber(value, 2);
  }
}
