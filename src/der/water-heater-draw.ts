/**
 * Household hot-water draws. The daily shape is the typical residential domestic-hot-water use profile
 * (share of the day's volume by hour of the day, local time): low at night, a morning peak for showers
 * around 6–9 h and a broader evening peak for dishes, laundry and baths around 18–21 h, as in the hourly
 * profiles of ASHRAE's Applications handbook and the Building America House Simulation Protocols. The
 * numbers are a rounded version of that shape. Each household scales it to its daily volume and shifts
 * it by its own routine; every day gets its own seeded variation so no two days are alike.
 */
import { SeededRandom } from '../core/random.js';
import { interpolateHourlyShape, localDayIndex, localHourOfDay } from './parameter-checks.js';

const RAW_DRAW_SHAPE = [
  0.01, 0.005, 0.004, 0.004, 0.006, 0.02, 0.07, 0.09, 0.08, 0.065, 0.05, 0.045, 0.04, 0.035, 0.03, 0.03,
  0.035, 0.05, 0.065, 0.075, 0.07, 0.055, 0.04, 0.021,
];
const RAW_SUM = RAW_DRAW_SHAPE.reduce((a, b) => a + b, 0);

/** Share of the daily hot-water volume drawn in each local hour (sums to 1). */
export const HOT_WATER_DRAW_SHAPE: readonly number[] = RAW_DRAW_SHAPE.map((x) => x / RAW_SUM);

export interface DrawProfileParams {
  readonly dailyDrawGal: number;
  /** Household routine: hours added to the clock before reading the shape (+1 = everything an hour later). */
  readonly drawShiftHours: number;
  /** Day-to-day variation: standard deviation of the log of each day's volume. */
  readonly dailyVariationLog: number;
  readonly drawSeed: number;
  readonly utcOffsetHours: number;
}

/** Draw rate for any time, with the per-day randomness generated once per day (no allocation per step). */
export class HotWaterDrawProfile {
  private currentDay = Number.NaN;
  private readonly hourlyFactor = new Float64Array(24);
  private dayFactor = 1;

  constructor(private readonly params: DrawProfileParams) {}

  private prepareDay(day: number): void {
    if (day === this.currentDay) return;
    this.currentDay = day;
    const rng = new SeededRandom((this.params.drawSeed ^ Math.imul(day, 0x9e3779b1)) >>> 0);
    this.dayFactor = Math.exp(rng.normal(0, this.params.dailyVariationLog));
    // Draws are lumpy: each hour varies ±40 % around the shape.
    for (let h = 0; h < 24; h++) this.hourlyFactor[h] = rng.uniform(0.6, 1.4);
  }

  /** Draw rate in gallons per hour at `timeMs`. */
  gallonsPerHour(timeMs: number): number {
    const shiftedMs = timeMs - this.params.drawShiftHours * 3_600_000;
    this.prepareDay(localDayIndex(shiftedMs, this.params.utcOffsetHours));
    const hour = localHourOfDay(shiftedMs, this.params.utcOffsetHours);
    const share = interpolateHourlyShape(HOT_WATER_DRAW_SHAPE, hour);
    const lumpiness = this.hourlyFactor[Math.floor(hour)] ?? 1;
    return this.params.dailyDrawGal * this.dayFactor * share * lumpiness;
  }
}
