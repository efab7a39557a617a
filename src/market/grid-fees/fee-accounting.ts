/**
 * Who pays grid fees and which area collects them. A trade from a seller's area to a buyer's area
 * crosses the areas on the path between them (area-tree.ts); each area charges its fee per kWh, the
 * buyer pays the sum on top of the energy price, and the seller receives the energy price untouched.
 *
 * Revenue is in currency for one slot: quantities in the order table are kW averaged over the slot,
 * so energy (kWh) = quantity × slot duration (h).
 */
import type { TimeSlot } from '../../core/time.js';
import { areasCrossed, pathToRoot, type AreaTree } from '../mechanism/area-tree.js';
import type { BilateralTrade, MarketClearing } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';

const MS_PER_HOUR = 3_600_000;

export function slotDurationHours(slot: TimeSlot): number {
  return (slot.endMs - slot.startMs) / MS_PER_HOUR;
}

export interface AreaFee {
  readonly area: number;
  readonly name: string;
  readonly feePerKwh: number;
}

export interface TradeFeeBreakdown {
  /** What the buyer pays per kWh: energy price + every fee. */
  readonly buyerPaysPerKwh: number;
  /** What the seller receives per kWh: the energy price. */
  readonly sellerReceivesPerKwh: number;
  readonly feePerKwh: number;
  /** Each area crossed, from the seller's side to the buyer's, with the fee it collects. */
  readonly areas: readonly AreaFee[];
}

/** The per-kWh split of one trade at `energyPricePerKwh` from `sellArea` to `buyArea`. */
export function feeBreakdown(
  tree: AreaTree,
  sellArea: number,
  buyArea: number,
  energyPricePerKwh: number,
): TradeFeeBreakdown {
  const areas = areasCrossed(tree, sellArea, buyArea).map((area) => ({
    area,
    name: tree.names[area] ?? `#${area}`,
    feePerKwh: tree.feePerKwh[area] ?? 0,
  }));
  const feePerKwh = areas.reduce((sum, a) => sum + a.feePerKwh, 0);
  return {
    buyerPaysPerKwh: energyPricePerKwh + feePerKwh,
    sellerReceivesPerKwh: energyPricePerKwh,
    feePerKwh,
    areas,
  };
}

export interface SlotFeeRevenue {
  /** Currency each area collected this slot, by area index. */
  readonly revenueByArea: Float64Array;
  /** Currency each row's buyer paid in fees this slot (0 on sell rows). */
  readonly paidByRow: Float64Array;
  /**
   * Fees charged on a path whose areas charge nothing in the tree (the clearing and the tree disagree):
   * kept apart rather than given to an arbitrary area, so the books still balance.
   */
  readonly unallocated: number;
}

/** Splits `charged` currency over `areas` in proportion to their fees; returns what found no area. */
function allocate(
  tree: AreaTree,
  areas: readonly number[],
  chargedPerKwh: number,
  energyKwh: number,
  into: Float64Array,
): number {
  let pathFee = 0;
  for (const area of areas) pathFee += tree.feePerKwh[area] ?? 0;
  if (pathFee <= 0) return chargedPerKwh * energyKwh;
  // Normally the clearing charged exactly the path's fees and each area gets its own fee.
  const scale = chargedPerKwh === pathFee ? 1 : chargedPerKwh / pathFee;
  for (const area of areas)
    into[area] = (into[area] as number) + (tree.feePerKwh[area] ?? 0) * scale * energyKwh;
  return 0;
}

/** Fee revenue per area from a clearing's trades: each trade pays the areas between its two rows. */
export function feeRevenueFromTrades(
  tree: AreaTree,
  table: OrderTable,
  trades: readonly BilateralTrade[],
  durationHours: number,
): SlotFeeRevenue {
  const revenueByArea = new Float64Array(tree.names.length);
  const paidByRow = new Float64Array(table.rows);
  let unallocated = 0;
  for (const trade of trades) {
    if (trade.feePerKwh === 0 || trade.quantity === 0) continue;
    const energyKwh = trade.quantity * durationHours;
    paidByRow[trade.buyRow] = (paidByRow[trade.buyRow] as number) + trade.feePerKwh * energyKwh;
    const areas = areasCrossed(tree, table.area[trade.sellRow] as number, table.area[trade.buyRow] as number);
    unallocated += allocate(tree, areas, trade.feePerKwh, energyKwh, revenueByArea);
  }
  return { revenueByArea, paidByRow, unallocated };
}

/**
 * Fee revenue per area from per-row fees only (a clearing without counterparties): the seller is not
 * known, so a buyer's fee is taken to pay for the path from its area up to the root, where a pooled
 * market's energy comes from.
 */
export function feeRevenueFromRows(
  tree: AreaTree,
  table: OrderTable,
  clearing: MarketClearing,
  durationHours: number,
): SlotFeeRevenue {
  const revenueByArea = new Float64Array(tree.names.length);
  const paidByRow = new Float64Array(table.rows);
  let unallocated = 0;
  for (let row = 0; row < table.rows; row++) {
    const feePerKwh = clearing.feePerKwh[row] ?? 0;
    const filled = clearing.filled[row] ?? 0;
    if (table.side[row] !== BUY || feePerKwh === 0 || filled === 0) continue;
    const energyKwh = filled * durationHours;
    paidByRow[row] = feePerKwh * energyKwh;
    const area = table.area[row] as number;
    const areas = area < 0 ? [] : pathToRoot(tree, area);
    unallocated += allocate(tree, areas, feePerKwh, energyKwh, revenueByArea);
  }
  return { revenueByArea, paidByRow, unallocated };
}

/** Fee revenue of a clearing: from its trades where it lists them, else from its rows. */
export function slotFeeRevenue(
  tree: AreaTree,
  table: OrderTable,
  clearing: MarketClearing,
  durationHours: number,
): SlotFeeRevenue {
  return clearing.trades !== undefined
    ? feeRevenueFromTrades(tree, table, clearing.trades, durationHours)
    : feeRevenueFromRows(tree, table, clearing, durationHours);
}
