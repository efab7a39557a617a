/**
 * Electric storage water heater as a DER agent: a one-node (fully mixed) tank,
 *
 *   C dT/dt = Q_element − UA (T − T_ambient) − ṁc (T − T_inlet),   C = 8.34 Btu/°F per gallon,
 *
 * solved in closed form between thermostat switches (exponential approach to the equilibrium), with the
 * draw rate held for the step. Baseline: deadband thermostat. Transactive: a ramp controller in the manner
 * of TESP's water heater agent and GridLAB-D's controller — the bid price for the element's power rises as
 * the tank cools from the setpoint toward its lower limit (setpoint − flexibilityRangeF), at the lower
 * limit it must heat at the price cap; after clearing the thermostat setpoint moves down with the price.
 */
import { BTU_PER_HOUR_PER_KW } from '../core/units.js';
import { throwIfInvalid } from './parameter-checks.js';
import type {
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  MarketSignal,
  SlotOutcome,
  WeatherSnapshot,
} from './types.js';
import { HotWaterDrawProfile } from './water-heater-draw.js';
import { validateWaterHeaterParams, type WaterHeaterParams } from './water-heater-params.js';

/** Heat capacity of water per gallon (8.34 lb × 1 Btu/lb·°F). */
export const BTU_PER_GALLON_F = 8.34;
const NO_BIDS: readonly DerBid[] = [];

/** Cumulative energy flows of the tank since creation, kWh (for energy-balance checks and reports). */
export interface TankEnergyAccounts {
  readonly elementKwh: number;
  readonly standbyLossKwh: number;
  readonly drawnHotWaterKwh: number;
  /** Stored energy relative to the initial tank temperature. */
  readonly storedChangeKwh: number;
}

export interface WaterHeaterAgent extends DerAgent {
  readonly kind: 'water-heater';
  readonly params: WaterHeaterParams;
  readonly tankTempF: number;
  /** The thermostat's current setpoint (moved by the market in transactive mode). */
  readonly activeSetpointF: number;
  /** Whether the element is heating at the end of the last step. */
  readonly elementOn: boolean;
  /** The comfort slider (0..1) the flexibility range is scaled by; null: params.flexibilityRangeF as is. */
  readonly comfortSlider: number | null;
  /**
   * The occupant moved the comfort slider: from the next bid the tank may cool down to
   * setpointF − slider × flexibilityRangeF (0 = always full, 1 = the whole range). For a live home (the
   * demo); the simulator never calls it.
   */
  setComfortSlider(slider: number | null): void;
  energyAccounts(): TankEnergyAccounts;
}

/**
 * Bid price for the flexible part of the element's energy at tank temperature T, or null when the tank
 * is full. The price ramps from mean − ramp·stdev at the setpoint to mean + ramp·stdev at the lower limit
 * and stays there below it: what the tank needs to hold its lower limit is bid separately, at the cap.
 */
export function waterHeaterBidPrice(
  tankTempF: number,
  setpointF: number,
  flexibilityRangeF: number,
  priceRamp: number,
  signal: Pick<MarketSignal, 'meanPricePerKwh' | 'stdevPricePerKwh' | 'priceCapPerKwh'>,
): number | null {
  if (tankTempF >= setpointF) return null;
  if (flexibilityRangeF <= 0) return signal.priceCapPerKwh;
  const halfRange = flexibilityRangeF / 2;
  const depthF = Math.min(flexibilityRangeF, setpointF - tankTempF);
  const price =
    signal.meanPricePerKwh + (priceRamp * signal.stdevPricePerKwh * (depthF - halfRange)) / halfRange;
  return Math.max(-signal.priceCapPerKwh, Math.min(signal.priceCapPerKwh, price));
}

/** Setpoint for a clearing price: the inverse of the bid ramp, clamped to the flexibility band. */
export function waterHeaterSetpointF(
  clearingPricePerKwh: number,
  setpointF: number,
  flexibilityRangeF: number,
  priceRamp: number,
  meanPricePerKwh: number,
  stdevPricePerKwh: number,
): number {
  const halfRange = flexibilityRangeF / 2;
  if (stdevPricePerKwh <= 1e-9 || halfRange <= 0) return setpointF;
  const shifted =
    setpointF -
    halfRange -
    ((clearingPricePerKwh - meanPricePerKwh) * halfRange) / (priceRamp * stdevPricePerKwh);
  return Math.max(setpointF - flexibilityRangeF, Math.min(setpointF, shifted));
}

class TankWaterHeater implements WaterHeaterAgent {
  readonly kind = 'water-heater' as const;
  tankTempF: number;
  activeSetpointF: number;
  private readonly capacityBtuPerF: number;
  private readonly initialTempF: number;
  private readonly draws: HotWaterDrawProfile;
  elementOn = false;
  comfortSlider: number | null = null;
  /** params.flexibilityRangeF scaled by the comfort slider. */
  private flexibilityRangeF: number;
  private lastPowerKw = 0;
  private meanPrice = Number.NaN;
  private stdevPrice = Number.NaN;
  private elementBtu = 0;
  private lossBtu = 0;
  private drawBtu = 0;

  constructor(
    readonly id: string,
    readonly params: WaterHeaterParams,
    readonly mode: ControlMode,
  ) {
    this.capacityBtuPerF = params.tankVolumeGal * BTU_PER_GALLON_F;
    this.tankTempF = params.initialTankTempF ?? params.setpointF;
    this.initialTempF = this.tankTempF;
    this.activeSetpointF = params.setpointF;
    this.draws = new HotWaterDrawProfile(params);
    this.flexibilityRangeF = params.flexibilityRangeF;
  }

  setComfortSlider(slider: number | null): void {
    const s = slider === null || !Number.isFinite(slider) ? null : Math.min(1, Math.max(0, slider));
    this.comfortSlider = s;
    this.flexibilityRangeF = this.params.flexibilityRangeF * (s ?? 1);
  }

  bid(signal: MarketSignal, weather: WeatherSnapshot): readonly DerBid[] {
    if (this.mode === 'baseline') return NO_BIDS;
    this.meanPrice = signal.meanPricePerKwh;
    this.stdevPrice = signal.stdevPricePerKwh;
    const p = this.params;
    const price = waterHeaterBidPrice(
      this.tankTempF,
      p.setpointF,
      this.flexibilityRangeF,
      p.priceRamp,
      signal,
    );
    if (price === null) return NO_BIDS;
    // Two steps: the energy that keeps the tank at its lower limit is must-run (bid at the cap); the rest
    // of the recovery to the full setpoint is flexible, at the ramp price.
    const lowerLimitF = p.setpointF - this.flexibilityRangeF;
    const mustRunKw =
      this.tankTempF <= lowerLimitF + p.thermostatDeadbandF
        ? this.expectedPowerKw(signal, weather, lowerLimitF)
        : 0;
    const flexibleKw = this.expectedPowerKw(signal, weather, p.setpointF) - mustRunKw;
    const bids: DerBid[] = [];
    if (mustRunKw > 0) bids.push({ side: 'buy', pricePerKwh: signal.priceCapPerKwh, powerKw: mustRunKw });
    if (flexibleKw > 1e-9) bids.push({ side: 'buy', pricePerKwh: price, powerKw: flexibleKw });
    return bids;
  }

  /**
   * Average element power over the coming slot when heating toward `targetF`: a dry run of the tank
   * physics, undone afterwards. The element's rating would overstate demand whenever the tank needs
   * less than a full slot of heating.
   */
  private expectedPowerKw(signal: MarketSignal, weather: WeatherSnapshot, targetF: number): number {
    const saved = {
      temp: this.tankTempF,
      on: this.elementOn,
      setpoint: this.activeSetpointF,
      power: this.lastPowerKw,
      element: this.elementBtu,
      loss: this.lossBtu,
      draw: this.drawBtu,
    };
    this.activeSetpointF = targetF;
    this.elementOn = this.tankTempF < targetF;
    const powerKw = this.step(weather, signal.slot.startMs, (signal.slot.endMs - signal.slot.startMs) / 1000);
    this.tankTempF = saved.temp;
    this.elementOn = saved.on;
    this.activeSetpointF = saved.setpoint;
    this.lastPowerKw = saved.power;
    this.elementBtu = saved.element;
    this.lossBtu = saved.loss;
    this.drawBtu = saved.draw;
    return powerKw;
  }

  dispatch(outcome: SlotOutcome): void {
    if (this.mode === 'baseline' || Number.isNaN(this.meanPrice)) return;
    const p = this.params;
    this.activeSetpointF = waterHeaterSetpointF(
      outcome.clearingPricePerKwh,
      p.setpointF,
      this.flexibilityRangeF,
      p.priceRamp,
      this.meanPrice,
      this.stdevPrice,
    );
    // A won bid bought the energy of a recovery to the full setpoint (that is what was bid): heat now, up
    // to it. Without an award the tank coasts down to the price-shifted setpoint, holding its lower limit.
    if (outcome.awardedKw > 0) {
      this.activeSetpointF = p.setpointF;
      if (this.tankTempF < this.activeSetpointF) this.elementOn = true;
    }
  }

  step(_weather: WeatherSnapshot, timeMs: number, durationS: number): number {
    const p = this.params;
    const drawConductance = this.draws.gallonsPerHour(timeMs + (durationS * 1000) / 2) * BTU_PER_GALLON_F;
    const conductance = p.tankUaBtuPerHourF + drawConductance;
    const rateFactorPerHour = conductance / this.capacityBtuPerF;
    const elementBtuPerHour = p.elementPowerKw * BTU_PER_HOUR_PER_KW;
    const passiveHeat = p.tankUaBtuPerHourF * p.ambientTempF + drawConductance * p.inletWaterTempF;
    const offF = this.activeSetpointF;
    const onF = this.activeSetpointF - p.thermostatDeadbandF;
    let remainingHours = durationS / 3600;
    let onHours = 0;
    for (let guard = 0; remainingHours > 1e-12 && guard < 100; guard++) {
      if (this.elementOn && this.tankTempF >= offF) this.elementOn = false;
      else if (!this.elementOn && this.tankTempF <= onF) this.elementOn = true;
      const heat = this.elementOn ? elementBtuPerHour : 0;
      const equilibriumF = (heat + passiveHeat) / conductance;
      const thresholdF = this.elementOn ? offF : onF;
      const gap0 = this.tankTempF - equilibriumF;
      // Time until the thermostat threshold, if the exponential reaches it in this step.
      const ratio = (thresholdF - equilibriumF) / gap0;
      const switchHours =
        ratio > 0 && ratio < 1 ? -Math.log(ratio) / rateFactorPerHour : Number.POSITIVE_INFINITY;
      const hours = Math.min(remainingHours, switchHours);
      const decay = Math.exp(-rateFactorPerHour * hours);
      const meanGapTimesHours = (gap0 * (1 - decay)) / rateFactorPerHour; // ∫(T − T_eq) dt
      const integralTempFHours = equilibriumF * hours + meanGapTimesHours; // ∫T dt
      this.lossBtu += p.tankUaBtuPerHourF * (integralTempFHours - p.ambientTempF * hours);
      this.drawBtu += drawConductance * (integralTempFHours - p.inletWaterTempF * hours);
      this.elementBtu += heat * hours;
      if (this.elementOn) onHours += hours;
      this.tankTempF = hours === switchHours ? thresholdF : equilibriumF + gap0 * decay;
      remainingHours -= hours;
    }
    this.lastPowerKw = (p.elementPowerKw * onHours * 3600) / durationS;
    return this.lastPowerKw;
  }

  observe(): DerObservation {
    return { powerKw: this.lastPowerKw, tankTempF: this.tankTempF };
  }

  energyAccounts(): TankEnergyAccounts {
    return {
      elementKwh: this.elementBtu / BTU_PER_HOUR_PER_KW,
      standbyLossKwh: this.lossBtu / BTU_PER_HOUR_PER_KW,
      drawnHotWaterKwh: this.drawBtu / BTU_PER_HOUR_PER_KW,
      storedChangeKwh: ((this.tankTempF - this.initialTempF) * this.capacityBtuPerF) / BTU_PER_HOUR_PER_KW,
    };
  }
}

/** Creates a water heater agent; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createWaterHeater(
  id: string,
  params: WaterHeaterParams,
  mode: ControlMode,
): WaterHeaterAgent {
  throwIfInvalid(validateWaterHeaterParams(params));
  return new TankWaterHeater(id, params, mode);
}
