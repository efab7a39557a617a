/**
 * Behind-the-meter battery with an arbitrage strategy.
 *
 * Physics: energy bookkeeping with the round-trip efficiency split evenly, √η on charge and √η on
 * discharge, state of charge kept within [minSoc, maxSoc] × capacity.
 *
 * Transactive: buy to charge at or below a low threshold and sell at or above a high threshold. The
 * thresholds are the lowPercentile and highPercentile of the forecast prices over the horizon, widened so
 * that a kWh bought at the buy price and sold at the sell price pays for its losses (buy ≤ sell × η).
 * Both bids go to the market; they cannot both clear since buy < sell. Dispatch follows awardedKw.
 * With a forecast of its home in the signal, it also absorbs the home's forecast PV surplus and
 * discharges into the home's forecast peak hours (battery-forecast.ts).
 *
 * An external limit (limitActivePower: a utility's export limit or disconnect) caps what it discharges or
 * charges whatever it was awarded; the energy it could not discharge stays stored.
 *
 * With `inverter` set, gridSupport() reports the IEEE 1547 functions' reactive power and active power
 * change at a measured voltage (the simulation applies them when it wires voltages in).
 *
 * Baseline: idle. The battery is not paired with a PV system here; self-consumption would need the
 * home's net load, which belongs to the premises model, not to a device.
 */
import type { TeError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import { slotDurationHours } from '../core/time.js';
import { forecastBatteryBids } from './battery-forecast.js';
import { gridSupportResponse, type GridSupportResponse } from './inverter/grid-support.js';
import {
  inverterRatingFor,
  type InverterFunctions,
  type InverterRating,
} from './inverter/inverter-settings.js';
import { validateInverterFunctions } from './inverter/inverter-settings-validation.js';
import { ParameterChecker, throwIfInvalid } from './parameter-checks.js';
import { quantile } from './price-quantile.js';
import type {
  ActivePowerLimit,
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  MarketSignal,
  SlotOutcome,
  WeatherSnapshot,
} from './types.js';

export interface BatteryParams {
  readonly capacityKwh: number;
  readonly maxChargeKw: number;
  readonly maxDischargeKw: number;
  /** AC-to-AC round-trip efficiency (0..1]. */
  readonly roundTripEfficiency: number;
  readonly minSocFraction: number;
  readonly maxSocFraction: number;
  readonly initialSocFraction: number;
  /** Forecast percentiles (0..1) that set the buy and sell thresholds. */
  readonly buyPercentile: number;
  readonly sellPercentile: number;
  /** IEEE 1547 smart-inverter functions; left out: unity power factor, no grid support. */
  readonly inverter?: InverterFunctions;
}

/** A 13.5 kWh / 5 kW home battery (Powerwall-class), 90 % round trip, 10–95 % usable window. */
export const DEFAULT_BATTERY_PARAMS: BatteryParams = {
  capacityKwh: 13.5,
  maxChargeKw: 5,
  maxDischargeKw: 5,
  roundTripEfficiency: 0.9,
  minSocFraction: 0.1,
  maxSocFraction: 0.95,
  initialSocFraction: 0.5,
  buyPercentile: 0.25,
  sellPercentile: 0.75,
};

export function validateBatteryParams(p: BatteryParams): readonly TeError[] {
  const c = new ParameterChecker('battery');
  c.range('capacityKwh', p.capacityKwh, 0.1, 10000, 'kWh')
    .range('maxChargeKw', p.maxChargeKw, 0, 5000, 'kW')
    .range('maxDischargeKw', p.maxDischargeKw, 0, 5000, 'kW')
    .range('roundTripEfficiency', p.roundTripEfficiency, 0.5, 1)
    .range('minSocFraction', p.minSocFraction, 0, 1)
    .range('maxSocFraction', p.maxSocFraction, 0, 1)
    .range('initialSocFraction', p.initialSocFraction, 0, 1)
    .range('buyPercentile', p.buyPercentile, 0, 1)
    .range('sellPercentile', p.sellPercentile, 0, 1)
    .require(
      'maxSocFraction',
      p.minSocFraction < p.maxSocFraction,
      'minSocFraction must be below maxSocFraction',
      'widen the state-of-charge window',
    )
    .require(
      'sellPercentile',
      p.buyPercentile < p.sellPercentile,
      'buyPercentile must be below sellPercentile',
      'buy at a lower percentile than you sell',
    );
  if (p.inverter === undefined || c.errors.length > 0) return c.errors;
  return [...c.errors, ...validateInverterFunctions(p.inverter, batteryInverterRating(p, p.inverter))];
}

/** A battery inverter: P_rated = discharge limit, absorbs up to the charge limit, S_rated = the larger. */
export function batteryInverterRating(p: BatteryParams, functions: InverterFunctions): InverterRating {
  return inverterRatingFor(
    functions,
    Math.max(p.maxChargeKw, p.maxDischargeKw),
    p.maxDischargeKw,
    p.maxChargeKw,
  );
}

/** Sizes of common home batteries (one or two 10–13.5 kWh units), efficiency 85–92 %. */
export function sampleBatteryParams(
  rng: SeededRandom,
  overrides: Partial<BatteryParams> = {},
): BatteryParams {
  const units = rng.bernoulli(0.2) ? 2 : 1;
  const unitKwh = rng.bernoulli(0.5) ? 13.5 : 10;
  const unitKw = unitKwh === 13.5 ? 5 : 4.6;
  return {
    ...DEFAULT_BATTERY_PARAMS,
    capacityKwh: units * unitKwh,
    maxChargeKw: units * unitKw,
    maxDischargeKw: units * unitKw,
    roundTripEfficiency: rng.uniform(0.85, 0.92),
    initialSocFraction: rng.uniform(0.3, 0.7),
    ...overrides,
  };
}

/** Buy and sell thresholds from the forecast, widened to cover the round-trip losses. */
export function arbitrageThresholds(
  forecastPricesPerKwh: readonly number[],
  fallbackPricePerKwh: number,
  p: Pick<BatteryParams, 'buyPercentile' | 'sellPercentile' | 'roundTripEfficiency'>,
): { readonly buyPricePerKwh: number; readonly sellPricePerKwh: number } {
  const prices = forecastPricesPerKwh.length > 0 ? forecastPricesPerKwh : [fallbackPricePerKwh];
  const low = quantile(prices, p.buyPercentile);
  const high = quantile(prices, p.sellPercentile);
  return {
    buyPricePerKwh: Math.min(low, high * p.roundTripEfficiency),
    sellPricePerKwh: Math.max(high, low / p.roundTripEfficiency),
  };
}

export interface BatteryAgent extends DerAgent {
  readonly kind: 'battery';
  readonly params: BatteryParams;
  readonly stateOfChargeKwh: number;
  /**
   * The inverter's response at a measured voltage to the power of the last step (state-of-charge limits
   * are not applied to the response).
   */
  gridSupport(vPu: number, frequencyHz?: number): GridSupportResponse;
  /** Caps the discharge and charge of the next steps; undefined lifts the caps. */
  limitActivePower(limit: ActivePowerLimit | undefined): void;
}

class ArbitrageBattery implements BatteryAgent {
  readonly kind = 'battery' as const;
  stateOfChargeKwh: number;
  private readonly oneWayEfficiency: number;
  private setpointKw = 0;
  private lastPowerKw = 0;
  private chargeLimitKw = 0;
  private dischargeLimitKw = 0;
  private limit: ActivePowerLimit | undefined;
  /** Discharge the limit held back in the last step; undefined when it ran without a limit. */
  private lastCurtailedKw: number | undefined;

  constructor(
    readonly id: string,
    readonly params: BatteryParams,
    readonly mode: ControlMode,
  ) {
    this.stateOfChargeKwh = params.initialSocFraction * params.capacityKwh;
    this.oneWayEfficiency = Math.sqrt(params.roundTripEfficiency);
  }

  bid(signal: MarketSignal): readonly DerBid[] {
    if (this.mode === 'baseline') return [];
    const p = this.params;
    const hours = slotDurationHours(signal.slot);
    const headroomKwh = Math.max(0, p.maxSocFraction * p.capacityKwh - this.stateOfChargeKwh);
    const availableKwh = Math.max(0, this.stateOfChargeKwh - p.minSocFraction * p.capacityKwh);
    this.chargeLimitKw = Math.min(p.maxChargeKw, headroomKwh / this.oneWayEfficiency / hours);
    this.dischargeLimitKw = Math.min(p.maxDischargeKw, (availableKwh * this.oneWayEfficiency) / hours);
    const { buyPricePerKwh, sellPricePerKwh } = arbitrageThresholds(
      signal.forecastPricesPerKwh,
      signal.meanPricePerKwh,
      p,
    );
    const forecast = signal.premisesForecast?.(this.id) ?? null;
    if (forecast !== null) {
      return forecastBatteryBids({
        forecast,
        slotHours: hours,
        chargeLimitKw: this.chargeLimitKw,
        dischargeLimitKw: this.dischargeLimitKw,
        headroomKwh,
        availableKwh,
        oneWayEfficiency: this.oneWayEfficiency,
        maxDischargeKw: p.maxDischargeKw,
        buyPricePerKwh,
        sellPricePerKwh,
      });
    }
    const bids: DerBid[] = [];
    if (this.chargeLimitKw > 1e-6)
      bids.push({ side: 'buy', pricePerKwh: buyPricePerKwh, powerKw: this.chargeLimitKw });
    if (this.dischargeLimitKw > 1e-6) {
      bids.push({ side: 'sell', pricePerKwh: sellPricePerKwh, powerKw: this.dischargeLimitKw });
    }
    return bids;
  }

  dispatch(outcome: SlotOutcome): void {
    if (this.mode === 'baseline') {
      this.setpointKw = 0;
      return;
    }
    const p = this.params;
    this.setpointKw = Math.max(-p.maxDischargeKw, Math.min(p.maxChargeKw, outcome.awardedKw));
  }

  limitActivePower(limit: ActivePowerLimit | undefined): void {
    this.limit = limit;
  }

  step(_weather: WeatherSnapshot, _timeMs: number, durationS: number): number {
    const hours = durationS / 3600;
    const unlimitedKw = this.feasibleKw(this.setpointKw, hours);
    const { limit } = this;
    let powerKw = unlimitedKw;
    if (limit !== undefined) {
      const cappedKw = Math.min(
        Math.max(this.setpointKw, -Math.max(0, limit.maxGenerationKw)),
        Math.max(0, limit.maxAbsorbKw ?? Number.POSITIVE_INFINITY),
      );
      powerKw = this.feasibleKw(cappedKw, hours);
    }
    if (powerKw > 0) this.stateOfChargeKwh += powerKw * hours * this.oneWayEfficiency;
    else if (powerKw < 0) this.stateOfChargeKwh += (powerKw * hours) / this.oneWayEfficiency;
    // Only discharge counts as curtailed: a capped charge is energy not bought, not energy lost.
    this.lastCurtailedKw =
      limit === undefined ? undefined : unlimitedKw < 0 ? Math.max(0, powerKw - unlimitedKw) : 0;
    this.lastPowerKw = powerKw;
    return powerKw;
  }

  /** The power the state of charge allows for `requestedKw` over the step. */
  private feasibleKw(requestedKw: number, hours: number): number {
    const p = this.params;
    if (requestedKw > 0) {
      const headroomKwh = Math.max(0, p.maxSocFraction * p.capacityKwh - this.stateOfChargeKwh);
      return Math.min(requestedKw, headroomKwh / this.oneWayEfficiency / hours);
    }
    if (requestedKw < 0) {
      const availableKwh = Math.max(0, this.stateOfChargeKwh - p.minSocFraction * p.capacityKwh);
      return -Math.min(-requestedKw, (availableKwh * this.oneWayEfficiency) / hours);
    }
    return requestedKw;
  }

  observe(): DerObservation {
    return {
      powerKw: this.lastPowerKw,
      stateOfChargeKwh: this.stateOfChargeKwh,
      capacityKwh: this.params.capacityKwh,
      ...(this.lastCurtailedKw === undefined ? {} : { curtailedKw: this.lastCurtailedKw }),
    };
  }

  gridSupport(vPu: number, frequencyHz?: number): GridSupportResponse {
    const { inverter, maxDischargeKw } = this.params;
    if (inverter === undefined) return { pKw: this.lastPowerKw, qKvar: 0, curtailedKw: 0 };
    const rating = batteryInverterRating(this.params, inverter);
    return gridSupportResponse(inverter, rating, vPu, frequencyHz, this.lastPowerKw, maxDischargeKw);
  }
}

/** Creates a battery agent; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createBattery(id: string, params: BatteryParams, mode: ControlMode): BatteryAgent {
  throwIfInvalid(validateBatteryParams(params));
  return new ArbitrageBattery(id, params, mode);
}
