/** Keeps the book of the slot with the highest substation load, for the supply/demand chart. */
import type { SlotReport } from '../engine/transactive-cycle.js';
import { BUY } from '../market/mechanism/order-table.js';
import type { SupplyDemandCurves } from './results.js';

interface CapturedBook {
  slotStartMs: number;
  loadKw: number;
  buyPrices: Float64Array;
  buyQuantities: Float64Array;
  sellPrices: Float64Array;
  sellQuantities: Float64Array;
  priceCap: number;
  price: number;
  quantity: number;
}

export class PeakCurveCapture {
  private captured: CapturedBook | null = null;

  constructor(private readonly priceCap: number) {}

  offer(report: SlotReport): void {
    const market = report.market;
    if (market === null) return;
    if (this.captured !== null && report.substationLoadKw <= this.captured.loadKw) return;
    const { table, clearing } = market;
    const buys: number[] = [];
    const sells: number[] = [];
    let quantity = 0;
    for (let r = 0; r < table.rows; r++) {
      if (table.side[r] === BUY) {
        buys.push(r);
        quantity += clearing.filled[r] ?? 0;
      } else {
        sells.push(r);
      }
    }
    const pick = (rows: number[], column: Float64Array) => Float64Array.from(rows, (r) => column[r] ?? 0);
    this.captured = {
      slotStartMs: report.slot.startMs,
      loadKw: report.substationLoadKw,
      buyPrices: pick(buys, table.price),
      buyQuantities: pick(buys, table.quantity),
      sellPrices: pick(sells, table.price),
      sellQuantities: pick(sells, table.quantity),
      priceCap: this.priceCap,
      price: market.marketPricePerKwh,
      quantity,
    };
  }

  curves(): SupplyDemandCurves | null {
    const c = this.captured;
    if (c === null) return null;
    const steps = (prices: Float64Array, quantities: Float64Array, descending: boolean) =>
      Array.from(prices, (price, i) => ({
        pricePerKwh: Math.min(price, c.priceCap),
        quantityKw: quantities[i] ?? 0,
      })).sort((a, b) => (descending ? b.pricePerKwh - a.pricePerKwh : a.pricePerKwh - b.pricePerKwh));
    return {
      slotStartMs: c.slotStartMs,
      buys: steps(c.buyPrices, c.buyQuantities, true),
      sells: steps(c.sellPrices, c.sellQuantities, false),
      clearingPricePerKwh: c.price,
      clearedQuantityKw: c.quantity,
    };
  }
}
