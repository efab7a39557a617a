/**
 * The grid limits a clearing must respect, read from the clearing context, and the check after clearing.
 *
 * - Area capacity: the net flow into an area of the `AreaTree` (its members' bought minus sold, summed
 *   over the area and every area below it) stays within ±capacityKw. Rows without an area (-1) sit
 *   outside every area, upstream of the root: a supplier there feeds the whole tree through the root.
 * - Operating envelope: a participant's net bought (bought minus sold over all its rows) stays at most
 *   importKw, and its net sold at most exportKw.
 */
import { teError, type TeError } from '../../core/errors.js';
import { pathToRoot, type AreaTree } from '../mechanism/area-tree.js';
import type { ClearingContext, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';

/** How far past a limit a dispatch may go and still count as within it: a milliwatt. */
export const GRID_LIMIT_TOLERANCE_KW = 1e-6;

export type GridLimitKind = 'area' | 'envelope';

export interface GridLimitViolation {
  readonly kind: GridLimitKind;
  /** The area index (kind 'area') or the participant index (kind 'envelope'). */
  readonly index: number;
  /** 'import': too much flows in (net bought); 'export': too much flows out (net sold). */
  readonly direction: 'import' | 'export';
  /** Net flow into the area or net bought by the participant (kW, negative = out / sold). */
  readonly netKw: number;
  readonly limitKw: number;
}

/** +1 for a buy row, −1 for a sell row: the row's contribution to the net flow into its area. */
export function rowSign(table: OrderTable, row: number): 1 | -1 {
  return table.side[row] === BUY ? 1 : -1;
}

/** Each area's path to the root (itself first), computed once per clearing. */
export function areaPaths(tree: AreaTree): readonly (readonly number[])[] {
  return tree.names.map((_, area) => pathToRoot(tree, area));
}

/** Net flow into each area (kW): Σ over rows in its subtree of sign × filled. */
export function areaNetFlowsKw(table: OrderTable, tree: AreaTree, filled: Float64Array): Float64Array {
  const paths = areaPaths(tree);
  const net = new Float64Array(tree.names.length);
  for (let i = 0; i < table.rows; i++) {
    const quantity = filled[i] ?? 0;
    const path = paths[table.area[i] ?? -1];
    if (quantity === 0 || path === undefined) continue;
    const signed = rowSign(table, i) * quantity;
    for (const area of path) net[area] = (net[area] ?? 0) + signed;
  }
  return net;
}

/** Net bought per participant (kW), for participants that traded. */
export function participantNetKw(table: OrderTable, filled: Float64Array): Map<number, number> {
  const net = new Map<number, number>();
  for (let i = 0; i < table.rows; i++) {
    const quantity = filled[i] ?? 0;
    if (quantity === 0) continue;
    const participant = table.participant[i] ?? -1;
    net.set(participant, (net.get(participant) ?? 0) + rowSign(table, i) * quantity);
  }
  return net;
}

/** The envelope of a participant; a participant beyond the arrays has none. */
export function envelopeOf(
  context: ClearingContext,
  participant: number,
): { readonly importKw: number; readonly exportKw: number } {
  const envelopes = context.envelopes;
  if (envelopes === undefined || participant < 0)
    return { importKw: Number.POSITIVE_INFINITY, exportKw: Number.POSITIVE_INFINITY };
  return {
    importKw: envelopes.importKw[participant] ?? Number.POSITIVE_INFINITY,
    exportKw: envelopes.exportKw[participant] ?? Number.POSITIVE_INFINITY,
  };
}

/** The limits a clearing broke (empty when it respects all of them), areas first, then participants. */
export function checkGridLimits(
  table: OrderTable,
  context: ClearingContext,
  clearing: Pick<MarketClearing, 'filled'>,
  toleranceKw = GRID_LIMIT_TOLERANCE_KW,
): GridLimitViolation[] {
  const violations: GridLimitViolation[] = [];
  const tree = context.areas;
  if (tree !== undefined) {
    const net = areaNetFlowsKw(table, tree, clearing.filled);
    for (let area = 0; area < tree.names.length; area++) {
      const limitKw = tree.capacityKw[area] ?? Number.POSITIVE_INFINITY;
      const netKw = net[area] ?? 0;
      if (netKw > limitKw + toleranceKw)
        violations.push({ kind: 'area', index: area, direction: 'import', netKw, limitKw });
      else if (-netKw > limitKw + toleranceKw)
        violations.push({ kind: 'area', index: area, direction: 'export', netKw, limitKw });
    }
  }
  if (context.envelopes !== undefined) {
    const net = participantNetKw(table, clearing.filled);
    for (const participant of [...net.keys()].sort((a, b) => a - b)) {
      const netKw = net.get(participant) ?? 0;
      const { importKw, exportKw } = envelopeOf(context, participant);
      if (netKw > importKw + toleranceKw)
        violations.push({
          kind: 'envelope',
          index: participant,
          direction: 'import',
          netKw,
          limitKw: importKw,
        });
      else if (-netKw > exportKw + toleranceKw)
        violations.push({
          kind: 'envelope',
          index: participant,
          direction: 'export',
          netKw,
          limitKw: exportKw,
        });
    }
  }
  return violations;
}

/** Limits must be numbers ≥ 0 (Infinity = none) and every row's area must exist. */
export function validateGridLimits(table: OrderTable, context: ClearingContext): TeError | undefined {
  const tree = context.areas;
  const badLimit = (path: string, value: number) =>
    teError(
      'TE_ERR_VALIDATION',
      `a grid limit must be a number of kW ≥ 0 (Infinity for none), got ${value}`,
      {
        path,
        hint: 'fix the capacity or envelope; a negative limit would forbid even trading nothing',
      },
    );
  if (tree !== undefined) {
    for (let area = 0; area < tree.names.length; area++) {
      const capacity = tree.capacityKw[area] ?? Number.POSITIVE_INFINITY;
      if (!(capacity >= 0))
        return badLimit(`areas.capacityKw[${area}] (${tree.names[area] ?? '?'})`, capacity);
    }
  }
  const envelopes = context.envelopes;
  if (envelopes !== undefined) {
    for (const [name, column] of [
      ['importKw', envelopes.importKw],
      ['exportKw', envelopes.exportKw],
    ] as const) {
      for (let p = 0; p < column.length; p++) {
        const value = column[p] ?? Number.POSITIVE_INFINITY;
        if (!(value >= 0)) return badLimit(`envelopes.${name}[${p}]`, value);
      }
    }
  }
  // Without a tree an area index is only a label, as in the other mechanisms.
  if (tree === undefined) return undefined;
  for (let i = 0; i < table.rows; i++) {
    const area = table.area[i] ?? -1;
    if (area >= -1 && area < tree.names.length) continue;
    return teError('TE_ERR_VALIDATION', `rows[${i}] names area ${area}, which is not in the area tree`, {
      path: `rows[${i}].area`,
      hint: `use an area index from 0 to ${tree.names.length - 1}, or -1 for none`,
    });
  }
  return undefined;
}
