/** Keeps the book of the slot with the highest substation load, for the supply/demand chart. */
import type { SlotReport } from '../engine/transactive-cycle.js';
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

  offer(report: SlotReport): void {
    const { book, clearing } = report;
    if (book === null || clearing === null) return;
    if (this.captured !== null && report.substationLoadKw <= this.captured.loadKw) return;
    this.captured = {
      slotStartMs: report.slot.startMs,
      loadKw: report.substationLoadKw,
      buyPrices: book.buyPrices.slice(),
      buyQuantities: book.buyQuantities.slice(),
      sellPrices: book.sellPrices.slice(),
      sellQuantities: book.sellQuantities.slice(),
      priceCap: book.priceCap,
      price: clearing.price,
      quantity: clearing.quantity,
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
