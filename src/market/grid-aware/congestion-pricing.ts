/**
 * Locational prices from the duals of the welfare program.
 *
 * Sign convention: every dual is a shadow price of the maximised welfare, d(welfare)/d(limit), per kWh.
 * - The balance row's dual is the energy price λ: what one more kW of supply anywhere is worth.
 * - An area's capacity row has μ ≥ 0 when its import limit binds (the area is short: inside it energy is
 *   worth more) and μ ≤ 0 when its export limit binds (the area has surplus it cannot send out).
 * - An area's price is λ plus the μ of every area on the path from it up to the root, since a kW consumed
 *   there flows through each of them. A row with no area pays λ.
 * - A participant whose own envelope binds sits behind its connection like a node behind a line: it pays
 *   or receives its area's price plus its envelope's dual ν (ν ≥ 0 at the import limit, ≤ 0 at export).
 *
 * Optimality (reduced costs) puts every filled buy at or below its bid and every filled sell at or above
 * its offer; complementary slackness makes the congestion rent Σ μ·flow + Σ ν·net ≥ 0.
 */
import type { OrderTable } from '../mechanism/order-table.js';
import type { LpSolution } from './linear-program.js';
import { BALANCE_ROW, type WelfareProgram } from './welfare-program.js';
import type { GridLimitKind } from './grid-limits.js';

export interface BindingLimit {
  readonly kind: GridLimitKind;
  /** Area index or participant index. */
  readonly index: number;
  readonly direction: 'import' | 'export';
  /** The limit's congestion component per kWh (the dual, sign as above). */
  readonly shadowPricePerKwh: number;
}

export interface CongestionPrices {
  readonly energyPricePerKwh: number;
  /** By area index: energy price plus the congestion components on the path to the root. */
  readonly areaPrice: Float64Array;
  /** Price of each row's participant at its connection (NaN where the row is not filled). */
  readonly rowPrice: Float64Array;
  readonly bindingLimits: readonly BindingLimit[];
}

/** Duals smaller than this are numerical noise of a limit that does not bind. */
const DUAL_NOISE_PER_KWH = 1e-12;

export function congestionPrices(
  table: OrderTable,
  welfare: WelfareProgram,
  solution: LpSolution,
  filled: Float64Array,
): CongestionPrices {
  const dual = (row: number) => {
    const value = solution.rowDual[row] ?? 0;
    return Math.abs(value) < DUAL_NOISE_PER_KWH ? 0 : value;
  };
  const energyPricePerKwh = dual(BALANCE_ROW);
  const bindingLimits: BindingLimit[] = [];
  const note = (kind: GridLimitKind, index: number, shadowPricePerKwh: number) => {
    if (shadowPricePerKwh !== 0)
      bindingLimits.push({
        kind,
        index,
        direction: shadowPricePerKwh > 0 ? 'import' : 'export',
        shadowPricePerKwh,
      });
  };

  const areaCount = welfare.areaRow.length;
  const areaPrice = new Float64Array(areaCount);
  for (let area = 0; area < areaCount; area++) {
    let price = energyPricePerKwh;
    for (const onPath of welfare.paths[area] ?? []) {
      const row = welfare.areaRow[onPath] ?? -1;
      if (row >= 0) price += dual(row);
    }
    areaPrice[area] = price;
    const own = welfare.areaRow[area] ?? -1;
    if (own >= 0) note('area', area, dual(own));
  }
  const envelopeComponent = new Map<number, number>();
  for (const [participant, row] of [...welfare.envelopeRow].sort((a, b) => a[0] - b[0])) {
    envelopeComponent.set(participant, dual(row));
    note('envelope', participant, dual(row));
  }

  const rowPrice = new Float64Array(table.rows).fill(Number.NaN);
  for (let i = 0; i < table.rows; i++) {
    if ((filled[i] ?? 0) === 0) continue;
    const area = table.area[i] ?? -1;
    const base = area >= 0 && area < areaCount ? (areaPrice[area] ?? NaN) : energyPricePerKwh;
    rowPrice[i] = base + (envelopeComponent.get(table.participant[i] ?? -1) ?? 0);
  }
  return { energyPricePerKwh, areaPrice, rowPrice, bindingLimits };
}
