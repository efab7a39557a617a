/**
 * The contract between the engine and every distributed energy resource (DER). A DER agent is one device
 * with its physics and its controller. The engine drives it through the cycle of DESIGN.md:
 * bid (from a frozen snapshot) → dispatch (the cleared outcome) → step (physics) → observe (meters, KPIs).
 *
 * Sign convention: load reference. Positive power is consumption at the meter, negative is export.
 * Bid powers are positive; the side says the direction.
 */
import type { TimeSlot } from '../core/time.js';

export type DerKind = 'hvac' | 'water-heater' | 'battery' | 'pv' | 'ev' | 'base-load';

/** Whether a device follows the market or runs the plain no-TE control of the baseline. */
export type ControlMode = 'transactive' | 'baseline';

/** Weather during a step, frozen for the step. Solar position is precomputed for the site. */
export interface WeatherSnapshot {
  readonly timeMs: number;
  readonly outdoorTempC: number;
  /** Global horizontal, direct normal and diffuse horizontal irradiance. */
  readonly ghiWm2: number;
  readonly dniWm2: number;
  readonly dhiWm2: number;
  readonly windSpeedMps: number;
  /** Solar zenith angle (0 = overhead, > 90 = below the horizon). */
  readonly solarZenithDeg: number;
  /** Solar azimuth, degrees clockwise from north. */
  readonly solarAzimuthDeg: number;
}

/** What every agent knows of the market when it bids: the frozen snapshot of market signals. */
export interface MarketSignal {
  readonly slot: TimeSlot;
  readonly priceCapPerKwh: number;
  /** Statistics of recent clearing prices (TESP and GridLAB-D ramp bids are relative to these). */
  readonly meanPricePerKwh: number;
  readonly stdevPricePerKwh: number;
  /** Expected prices of the coming slots, this slot first (for storage and EV scheduling). */
  readonly forecastPricesPerKwh: readonly number[];
  /**
   * The forecast of the bidding device's premises (by device id), when strategies bid on forecasts;
   * null or absent: no forecast.
   */
  readonly premisesForecast?: (deviceId: string) => PremisesForecast | null;
}

/** A premises' forecast hour by hour, the hour containing the slot first (typically 24 hours). */
export interface PremisesForecast {
  /** Net energy through the meter without the market's response, kWh: import positive, export negative. */
  readonly netLoadKwh: readonly number[];
  /** PV generation behind the meter, kWh (≥ 0). */
  readonly pvKwh: readonly number[];
}

export interface DerBid {
  readonly side: 'buy' | 'sell';
  readonly pricePerKwh: number;
  /** Average power over the slot, always positive. */
  readonly powerKw: number;
}

/** What the market decided for the slot, as seen by one device. */
export interface SlotOutcome {
  readonly slot: TimeSlot;
  readonly clearingPricePerKwh: number;
  /** Power awarded to this device's bids: positive bought, negative sold (0 if nothing cleared). */
  readonly awardedKw: number;
  /**
   * For a bid exactly at the clearing price: the share of such bids that was served (0..1), GridLAB-D's
   * marginal quantity relative to the total at that price. 1 otherwise.
   */
  readonly marginalShare: number;
}

/** Measured state for meters, KPIs and reports. */
export interface DerObservation {
  /** Average power over the last step (load reference). */
  readonly powerKw: number;
  readonly indoorTempF?: number;
  /** The occupant's comfort band; time outside it counts as comfort violation. */
  readonly comfortLowF?: number;
  readonly comfortHighF?: number;
  readonly tankTempF?: number;
  readonly stateOfChargeKwh?: number;
  readonly capacityKwh?: number;
  /** PV power the panels could have produced over the last step. */
  readonly availablePvKw?: number;
  /**
   * Generation or discharge an external active-power limit held back over the last step (kW ≥ 0);
   * present only when a limit was in force (see ActivePowerLimit).
   */
  readonly curtailedKw?: number;
  /** EV energy still missing at a departure during the last step (0 in steps without a departure). */
  readonly unmetEnergyKwh?: number;
  readonly pluggedIn?: boolean;
}

/**
 * A limit on an inverter's active power set from outside the market (kW ≥ 0), for the steps until it is
 * replaced: a utility's curtailment or disconnect, as IEEE 1547-2018 requires an inverter to accept
 * (limit active power, cease to energize). At most `maxGenerationKw` generated or discharged, at most
 * `maxAbsorbKw` absorbed (no absorb limit when left out).
 */
export interface ActivePowerLimit {
  readonly maxGenerationKw: number;
  readonly maxAbsorbKw?: number;
}

export interface DerAgent {
  readonly id: string;
  readonly kind: DerKind;
  readonly mode: ControlMode;
  /** Bids for the coming slot from the frozen snapshot. Empty when the device does not bid. */
  bid(signal: MarketSignal, weather: WeatherSnapshot): readonly DerBid[];
  /** Receive the slot's outcome; the device sets its control for the slot from it. */
  dispatch(outcome: SlotOutcome): void;
  /**
   * Advance the physics from `timeMs` by `durationS` seconds under `weather`; returns the average power
   * (kW, load reference) over the step. Devices integrate internally as finely as they need.
   */
  step(weather: WeatherSnapshot, timeMs: number, durationS: number): number;
  observe(): DerObservation;
}
