/** The wholesale price of every slot of the horizon and a day beyond, from the hourly profile. */
import { MS_PER_DAY, MS_PER_HOUR, MS_PER_MINUTE, type TimeSlot } from '../core/time.js';

export class WholesalePriceProfile {
  constructor(
    private readonly pricePerKwhByLocalHour: readonly number[],
    private readonly utcOffsetMinutes: number,
  ) {}

  priceAt(timeMs: number): number {
    const localMs = timeMs + this.utcOffsetMinutes * MS_PER_MINUTE;
    const hour = Math.floor((((localMs % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY) / MS_PER_HOUR);
    return this.pricePerKwhByLocalHour[hour] ?? 0;
  }

  /** Prices of the slots from `slot` on, over `horizonMs`: the forecast storage and EV agents plan with. */
  forecast(slot: TimeSlot, horizonMs: number): number[] {
    const periodMs = slot.endMs - slot.startMs;
    const prices: number[] = [];
    for (let t = slot.startMs; t < slot.startMs + horizonMs; t += periodMs) prices.push(this.priceAt(t));
    return prices;
  }

  mean(): number {
    return this.pricePerKwhByLocalHour.reduce((a, b) => a + b, 0) / this.pricePerKwhByLocalHour.length;
  }

  stdev(): number {
    const mean = this.mean();
    const n = this.pricePerKwhByLocalHour.length;
    return Math.sqrt(this.pricePerKwhByLocalHour.reduce((a, p) => a + (p - mean) ** 2, 0) / n);
  }
}
