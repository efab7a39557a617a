/**
 * The uncontrolled part of a home's load: lighting, plug loads, refrigerator, cooking, laundry and
 * electronics (everything but HVAC, water heating and EV charging). It bids as an unresponsive buyer at
 * the price cap.
 *
 * The shape is a typical US residential non-HVAC weekday profile, in kW at the centre of each local hour:
 * a night floor of ~0.45 kW (refrigerator, standby, always-on electronics), a morning rise at 6–8 h
 * (lights, cooking, showers' appliances), a midday plateau, and the evening peak at 18–21 h (cooking,
 * lighting, TV, laundry) before the late-evening decline. The level (~0.75 kW mean, ~18 kWh/day) matches
 * EIA RECS average non-HVAC, non-water-heating use of a US home; the shape follows the residential end-use
 * load profiles published by NREL (ResStock / End-Use Load Profiles). Values are rounded, not copied.
 */
import type { TeError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import {
  interpolateHourlyShape,
  localDayIndex,
  localHourOfDay,
  ParameterChecker,
  throwIfInvalid,
} from './parameter-checks.js';
import type {
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  MarketSignal,
  WeatherSnapshot,
} from './types.js';

/** kW at hours 0..23 (local standard time, hour centres). */
export const RESIDENTIAL_BASE_LOAD_SHAPE_KW: readonly number[] = [
  0.5, 0.46, 0.44, 0.43, 0.44, 0.5, 0.65, 0.8, 0.78, 0.7, 0.66, 0.65, 0.66, 0.65, 0.65, 0.7, 0.8, 0.95, 1.1,
  1.2, 1.18, 1.05, 0.85, 0.62,
];

export interface BaseLoadParams {
  /** Multiplies the shape (home size, household). */
  readonly scaleFactor: number;
  /** Standard deviation of the hourly multiplicative noise (e.g. 0.1 = ±10 %). */
  readonly noiseFraction: number;
  readonly noiseSeed: number;
  readonly utcOffsetHours: number;
}

export const DEFAULT_BASE_LOAD_PARAMS: BaseLoadParams = {
  scaleFactor: 1,
  noiseFraction: 0.1,
  noiseSeed: 1,
  utcOffsetHours: 0,
};

export function validateBaseLoadParams(p: BaseLoadParams): readonly TeError[] {
  return new ParameterChecker('base-load')
    .range('scaleFactor', p.scaleFactor, 0, 20)
    .range('noiseFraction', p.noiseFraction, 0, 0.5)
    .range('noiseSeed', p.noiseSeed, 0, 4294967295)
    .range('utcOffsetHours', p.utcOffsetHours, -14, 14, 'h').errors;
}

/** Homes differ in size and habits: scale log-normal (median 1, ~35 % spread), noise 5–15 %. */
export function sampleBaseLoadParams(
  rng: SeededRandom,
  overrides: Partial<BaseLoadParams> = {},
): BaseLoadParams {
  return {
    ...DEFAULT_BASE_LOAD_PARAMS,
    scaleFactor: Math.min(4, Math.max(0.25, Math.exp(rng.normal(0, 0.35)))),
    noiseFraction: rng.uniform(0.05, 0.15),
    noiseSeed: rng.nextUint32(),
    ...overrides,
  };
}

export interface BaseLoadAgent extends DerAgent {
  readonly kind: 'base-load';
  readonly params: BaseLoadParams;
  /** Power at a time (kW), including the home's deterministic noise. */
  powerAtKw(timeMs: number): number;
}

class UncontrolledLoad implements BaseLoadAgent {
  readonly kind = 'base-load' as const;
  private currentDay = Number.NaN;
  private readonly hourlyNoise = new Float64Array(25);
  private lastPowerKw = 0;

  constructor(
    readonly id: string,
    readonly params: BaseLoadParams,
    readonly mode: ControlMode,
  ) {}

  private prepareDay(day: number): void {
    if (day === this.currentDay) return;
    this.currentDay = day;
    const rng = new SeededRandom((this.params.noiseSeed ^ Math.imul(day + 1, 0x27d4eb2d)) >>> 0);
    for (let h = 0; h < 25; h++) this.hourlyNoise[h] = rng.normal(0, this.params.noiseFraction);
  }

  powerAtKw(timeMs: number): number {
    const p = this.params;
    this.prepareDay(localDayIndex(timeMs, p.utcOffsetHours));
    const hour = localHourOfDay(timeMs, p.utcOffsetHours);
    const index = Math.floor(hour);
    const fraction = hour - index;
    // Noise interpolated between hour marks so the load has no steps.
    const noise =
      (this.hourlyNoise[index] ?? 0) * (1 - fraction) + (this.hourlyNoise[index + 1] ?? 0) * fraction;
    return Math.max(
      0,
      interpolateHourlyShape(RESIDENTIAL_BASE_LOAD_SHAPE_KW, hour) * p.scaleFactor * (1 + noise),
    );
  }

  bid(signal: MarketSignal): readonly DerBid[] {
    if (this.mode === 'baseline') return [];
    const midMs = (signal.slot.startMs + signal.slot.endMs) / 2;
    return [{ side: 'buy', pricePerKwh: signal.priceCapPerKwh, powerKw: this.powerAtKw(midMs) }];
  }

  dispatch(): void {}

  step(_weather: WeatherSnapshot, timeMs: number, durationS: number): number {
    this.lastPowerKw = this.powerAtKw(timeMs + (durationS * 1000) / 2);
    return this.lastPowerKw;
  }

  observe(): DerObservation {
    return { powerKw: this.lastPowerKw };
  }
}

/** Creates an uncontrolled base load; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createBaseLoad(id: string, params: BaseLoadParams, mode: ControlMode): BaseLoadAgent {
  throwIfInvalid(validateBaseLoadParams(params));
  return new UncontrolledLoad(id, params, mode);
}
