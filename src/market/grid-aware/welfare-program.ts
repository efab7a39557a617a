/**
 * The welfare-maximising dispatch under grid limits as a linear program, one column per order row:
 *
 *   maximise   Σ_buy price·q − Σ_sell price·q          (must-run rows at ±cap carry the cap as price)
 *   subject to Σ_buy q − Σ_sell q = 0                   (energy balance; its dual is the energy price)
 *              −capacityKw ≤ net flow into area ≤ capacityKw     (each area with a finite capacity)
 *              −exportKw ≤ participant's net bought ≤ importKw  (each participant with a finite envelope)
 *              0 ≤ q ≤ quantity
 *
 * A row enters each constraint with its sign (+1 buy, −1 sell), so the net flow of an area is the sum
 * over the rows of its subtree. Only limits that can matter become constraints, which keeps the program
 * small: one balance row, a handful of areas, and the participants with a finite envelope.
 */
import type { AreaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import type { OrderTable } from '../mechanism/order-table.js';
import { areaPaths, envelopeOf, rowSign } from './grid-limits.js';
import type { LinearProgram } from './linear-program.js';

export const BALANCE_ROW = 0;

export interface WelfareProgram {
  readonly program: LinearProgram;
  /** Program row of each area's capacity limit, -1 when the area is unlimited. */
  readonly areaRow: Int32Array;
  /** Program row of each participant's envelope (participants with a finite envelope only). */
  readonly envelopeRow: ReadonlyMap<number, number>;
  /** Each area's path to the root, itself first. */
  readonly paths: readonly (readonly number[])[];
}

export function welfareProgram(table: OrderTable, context: ClearingContext): WelfareProgram {
  const tree: AreaTree | undefined = context.areas;
  const paths = tree === undefined ? [] : areaPaths(tree);
  const rowLower: number[] = [0];
  const rowUpper: number[] = [0];

  const areaCount = tree?.names.length ?? 0;
  const areaRow = new Int32Array(areaCount).fill(-1);
  for (let area = 0; area < areaCount; area++) {
    const capacityKw = tree?.capacityKw[area] ?? Number.POSITIVE_INFINITY;
    if (!Number.isFinite(capacityKw)) continue;
    areaRow[area] = rowLower.length;
    rowLower.push(-capacityKw);
    rowUpper.push(capacityKw);
  }

  const envelopeRow = new Map<number, number>();
  if (context.envelopes !== undefined) {
    for (let i = 0; i < table.rows; i++) {
      const participant = table.participant[i] ?? -1;
      if (envelopeRow.has(participant)) continue;
      const { importKw, exportKw } = envelopeOf(context, participant);
      if (importKw === Number.POSITIVE_INFINITY && exportKw === Number.POSITIVE_INFINITY) continue;
      envelopeRow.set(participant, rowLower.length);
      rowLower.push(-exportKw);
      rowUpper.push(importKw);
    }
  }

  const columns = table.rows;
  const cost = new Float64Array(columns);
  const columnUpper = new Float64Array(columns);
  const columnStart = new Int32Array(columns + 1);
  const entryRow: number[] = [];
  const entryValue: number[] = [];
  for (let i = 0; i < columns; i++) {
    const sign = rowSign(table, i);
    cost[i] = sign * Math.max(-context.priceCap, Math.min(context.priceCap, table.price[i] ?? 0));
    columnUpper[i] = table.quantity[i] ?? 0;
    entryRow.push(BALANCE_ROW);
    entryValue.push(sign);
    for (const area of paths[table.area[i] ?? -1] ?? []) {
      const row = areaRow[area] ?? -1;
      if (row < 0) continue;
      entryRow.push(row);
      entryValue.push(sign);
    }
    const envelope = envelopeRow.get(table.participant[i] ?? -1);
    if (envelope !== undefined) {
      entryRow.push(envelope);
      entryValue.push(sign);
    }
    columnStart[i + 1] = entryRow.length;
  }

  return {
    program: {
      sense: 'maximize',
      cost,
      columnLower: new Float64Array(columns),
      columnUpper,
      rowLower: Float64Array.from(rowLower),
      rowUpper: Float64Array.from(rowUpper),
      columnStart,
      entryRow: Int32Array.from(entryRow),
      entryValue: Float64Array.from(entryValue),
    },
    areaRow,
    envelopeRow,
    paths,
  };
}
