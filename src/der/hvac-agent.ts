/**
 * A house with air conditioning (and optionally electric or gas heat) as a DER agent: the ETP thermal
 * model of GridLAB-D house_e, a deadband thermostat, and in transactive mode GridLAB-D's ramp controller
 * (HOUSE_COOL / HOUSE_HEAT presets) that bids the HVAC's running power and moves the setpoint with the
 * clearing price.
 *
 * Comfort band (reported by observe): [heatingSetpointF − comfortMarginF, coolingSetpointF +
 * comfortMarginF], from the occupant's base setpoints — not the price-shifted ones — so any time the
 * market pushes the air beyond the margin counts as a comfort violation, in either mode.
 */
import { BTU_PER_HOUR_PER_KW, BTU_PER_HOUR_SQFT_PER_W_PER_M2, fahrenheitFromCelsius } from '../core/units.js';
import { computeEtpCoefficients, type EtpCoefficients } from './hvac-envelope.js';
import {
  coolingCapacityFactor,
  coolingCopFactor,
  heatPumpCapacityFactor,
  heatPumpCopFactor,
} from './hvac-equipment.js';
import { EtpSolver } from './hvac-etp-solver.js';
import { validateHvacParams, type HvacParams } from './hvac-params.js';
import {
  gridlabdRampBidPrice,
  HOUSE_COOL,
  HOUSE_HEAT,
  rampLimits,
  rampSetpointF,
  type RampLimits,
} from './hvac-ramp-bid.js';
import { throwIfInvalid } from './parameter-checks.js';
import { planeOfArrayIrradianceWm2 } from './surface-irradiance.js';
import type {
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  MarketSignal,
  SlotOutcome,
  WeatherSnapshot,
} from './types.js';

export interface HvacAgent extends DerAgent {
  readonly kind: 'hvac';
  readonly params: HvacParams;
  readonly etp: EtpCoefficients;
  /** Current thermostat setpoints (moved by the market in transactive mode). */
  readonly coolingSetpointF: number;
  readonly heatingSetpointF: number;
  readonly massTempF: number;
  readonly airTempF: number;
  /** What the thermostat is doing at the end of the last step. */
  readonly thermostatState: HvacState;
  /** The slider the ramp limits follow now (params.comfortSlider until changed). */
  readonly comfortSlider: number | null;
  /**
   * The occupant moved the comfort slider: the ramp limits follow it from the next bid and dispatch. For
   * a live home (the demo); the simulator never calls it, so a simulated run stays as its params say.
   */
  setComfortSlider(slider: number | null): void;
}

export type HvacState = 'off' | 'cooling' | 'heating';
const NO_BIDS: readonly DerBid[] = [];
const SECONDS_PER_HOUR = 3600;
/** Windows face the four cardinal directions in equal parts. */
const WINDOW_AZIMUTHS_DEG = [0, 90, 180, 270] as const;

/**
 * Mean irradiance on the four vertical window orientations. Every house in a community sees the same
 * snapshot, so the result is remembered per snapshot object; the memo depends on nothing but its key.
 */
const verticalIrradianceBySnapshot = new WeakMap<WeatherSnapshot, number>();

function meanVerticalIrradianceWm2(weather: WeatherSnapshot): number {
  const known = verticalIrradianceBySnapshot.get(weather);
  if (known !== undefined) return known;
  let sum = 0;
  for (const azimuth of WINDOW_AZIMUTHS_DEG) {
    sum += planeOfArrayIrradianceWm2(
      weather.ghiWm2,
      weather.dniWm2,
      weather.dhiWm2,
      weather.solarZenithDeg,
      weather.solarAzimuthDeg,
      90,
      azimuth,
    );
  }
  const meanWm2 = sum / WINDOW_AZIMUTHS_DEG.length;
  verticalIrradianceBySnapshot.set(weather, meanWm2);
  return meanWm2;
}

/** Above the middle of the two setpoints the house wants cooling, below it heating. */
function midpoint(p: HvacParams): number {
  return (p.coolingSetpointF + p.heatingSetpointF) / 2;
}

class EtpHvacAgent implements HvacAgent {
  readonly kind = 'hvac' as const;
  readonly etp: EtpCoefficients;
  coolingSetpointF: number;
  heatingSetpointF: number;
  airTempF = Number.NaN;
  massTempF = Number.NaN;
  private readonly solver: EtpSolver;
  private coolLimits: RampLimits;
  private heatLimits: RampLimits;
  comfortSlider: number | null;
  private readonly solarGainFactor: number;
  private readonly maxSubstepHours: number;
  private readonly electricHeat: boolean;
  private state: HvacState = 'off';
  private lastPowerKw = 0;
  /** What the unit bid for the current slot (0 when it did not bid). */
  private bidKw = 0;
  private meanPrice = Number.NaN;
  private stdevPrice = Number.NaN;

  constructor(
    readonly id: string,
    readonly params: HvacParams,
    readonly mode: ControlMode,
  ) {
    this.etp = computeEtpCoefficients(params);
    this.solver = new EtpSolver(this.etp);
    this.coolingSetpointF = params.coolingSetpointF;
    this.heatingSetpointF = params.heatingSetpointF;
    this.comfortSlider = params.comfortSlider;
    this.coolLimits = rampLimits(HOUSE_COOL, params.coolingSetpointF, params.comfortSlider);
    this.heatLimits = rampLimits(HOUSE_HEAT, params.heatingSetpointF, params.comfortSlider);
    this.solarGainFactor =
      this.etp.windowAreaSqft *
      params.windowShgc *
      params.windowExteriorTransmission *
      BTU_PER_HOUR_SQFT_PER_W_PER_M2;
    this.maxSubstepHours = params.maxSubstepS / SECONDS_PER_HOUR;
    this.electricHeat = params.heatingSystem === 'resistance' || params.heatingSystem === 'heat-pump';
  }

  get thermostatState(): HvacState {
    return this.state;
  }

  setComfortSlider(slider: number | null): void {
    const s = slider === null || !Number.isFinite(slider) ? null : Math.min(1, Math.max(0, slider));
    this.comfortSlider = s;
    this.coolLimits = rampLimits(HOUSE_COOL, this.params.coolingSetpointF, s);
    this.heatLimits = rampLimits(HOUSE_HEAT, this.params.heatingSetpointF, s);
  }

  private ensureInitialised(weather: WeatherSnapshot): void {
    if (!Number.isNaN(this.airTempF)) return;
    const outdoorF = fahrenheitFromCelsius(weather.outdoorTempC);
    const start =
      this.params.initialAirTempF ??
      Math.min(this.params.coolingSetpointF, Math.max(this.params.heatingSetpointF, outdoorF)) +
        this.params.initialTempOffsetF;
    this.airTempF = start;
    this.massTempF = start;
  }

  private coolingKw(outdoorF: number): number {
    const p = this.params;
    const capacity = p.coolingCapacityBtuPerHour * coolingCapacityFactor(outdoorF);
    return capacity / (p.coolingCop * coolingCopFactor(outdoorF)) / BTU_PER_HOUR_PER_KW + p.fanPowerKw;
  }

  private heatingKw(outdoorF: number): number {
    const p = this.params;
    switch (p.heatingSystem) {
      case 'heat-pump': {
        const capacity = p.heatingCapacityBtuPerHour * heatPumpCapacityFactor(outdoorF);
        const cop = Math.max(1, p.heatingCop * heatPumpCopFactor(outdoorF));
        return capacity / cop / BTU_PER_HOUR_PER_KW + p.fanPowerKw;
      }
      case 'resistance':
        return p.heatingCapacityBtuPerHour / BTU_PER_HOUR_PER_KW + p.fanPowerKw;
      case 'gas':
        return p.fanPowerKw;
      case 'none':
        return 0;
    }
  }

  private heatingDeliveredBtuPerHour(outdoorF: number): number {
    const p = this.params;
    if (p.heatingSystem === 'none') return 0;
    if (p.heatingSystem === 'heat-pump')
      return p.heatingCapacityBtuPerHour * heatPumpCapacityFactor(outdoorF);
    return p.heatingCapacityBtuPerHour;
  }

  bid(signal: MarketSignal, weather: WeatherSnapshot): readonly DerBid[] {
    this.bidKw = 0;
    if (this.mode === 'baseline') return NO_BIDS;
    this.ensureInitialised(weather);
    this.meanPrice = signal.meanPricePerKwh;
    this.stdevPrice = signal.stdevPricePerKwh;
    const cooling = this.airTempF >= midpoint(this.params);
    if (!cooling && !this.electricHeat) return NO_BIDS;
    const price = gridlabdRampBidPrice({
      airTempF: this.airTempF,
      baseSetpointF: cooling ? this.params.coolingSetpointF : this.params.heatingSetpointF,
      meanPrice: signal.meanPricePerKwh,
      stdevPrice: signal.stdevPricePerKwh,
      priceCap: signal.priceCapPerKwh,
      limits: cooling ? this.coolLimits : this.heatLimits,
    });
    if (price === null) return NO_BIDS;
    const powerKw = this.expectedPowerKw(signal, weather);
    this.bidKw = powerKw;
    return powerKw > 0 ? [{ side: 'buy', pricePerKwh: price, powerKw }] : NO_BIDS;
  }

  /**
   * Average power over the coming slot if the thermostat holds the occupant's base setpoints: a dry run
   * of the physics, undone afterwards. Bidding the compressor's running power instead would overstate
   * demand by the off part of the duty cycle, and must-run bids would then fail the market needlessly.
   */
  private expectedPowerKw(signal: MarketSignal, weather: WeatherSnapshot): number {
    const saved = {
      air: this.airTempF,
      mass: this.massTempF,
      state: this.state,
      cool: this.coolingSetpointF,
      heat: this.heatingSetpointF,
      power: this.lastPowerKw,
    };
    this.coolingSetpointF = this.params.coolingSetpointF;
    this.heatingSetpointF = this.params.heatingSetpointF;
    const powerKw = this.step(weather, signal.slot.startMs, (signal.slot.endMs - signal.slot.startMs) / 1000);
    this.airTempF = saved.air;
    this.massTempF = saved.mass;
    this.state = saved.state;
    this.coolingSetpointF = saved.cool;
    this.heatingSetpointF = saved.heat;
    this.lastPowerKw = saved.power;
    return powerKw;
  }

  dispatch(outcome: SlotOutcome): void {
    if (this.mode === 'baseline' || Number.isNaN(this.meanPrice)) return;
    const price = outcome.clearingPricePerKwh;
    const p = this.params;
    this.coolingSetpointF = rampSetpointF(
      price,
      p.coolingSetpointF,
      this.meanPrice,
      this.stdevPrice,
      this.coolLimits,
    );
    this.heatingSetpointF = rampSetpointF(
      price,
      p.heatingSetpointF,
      this.meanPrice,
      this.stdevPrice,
      this.heatLimits,
    );
    // A won bid bought the energy the unit uses at the occupant's base setpoints (the bid was sized by a
    // dry run at them): hold those setpoints for the slot, so consumption matches the award. GridLAB-D's
    // controller only moves the setpoint with the price, which left a bid won near the margin unused.
    // A lost bid means the market did not give the unit this slot: switch it off now rather than let the
    // thermostat's hysteresis keep a running compressor on, and let the house coast to the edge of the
    // occupant's range (the slider's limit) before it may restart; past that edge it bids the cap.
    if (outcome.awardedKw > 0) {
      this.coolingSetpointF = p.coolingSetpointF;
      this.heatingSetpointF = p.heatingSetpointF;
    } else if (this.bidKw > 0) {
      this.state = 'off';
      this.coolingSetpointF = this.coolLimits.maxSetpointF;
      this.heatingSetpointF = this.heatLimits.minSetpointF;
    }
  }

  /** Thermostat decision at the current air temperature. */
  private thermostat(): void {
    const half = this.params.thermostatDeadbandF / 2;
    const heatingAvailable = this.params.heatingSystem !== 'none';
    if (this.state === 'cooling') {
      if (this.airTempF <= this.coolingSetpointF - half) this.state = 'off';
    } else if (this.state === 'heating') {
      if (this.airTempF >= this.heatingSetpointF + half || !heatingAvailable) this.state = 'off';
    }
    if (this.state === 'off') {
      if (this.airTempF >= this.coolingSetpointF + half && this.params.coolingCapacityBtuPerHour > 0) {
        this.state = 'cooling';
      } else if (heatingAvailable && this.airTempF <= this.heatingSetpointF - half) {
        this.state = 'heating';
      }
    }
  }

  step(weather: WeatherSnapshot, _timeMs: number, durationS: number): number {
    this.ensureInitialised(weather);
    const p = this.params;
    const outdoorF = fahrenheitFromCelsius(weather.outdoorTempC);
    const solarBtuPerHour = this.solarGainFactor * meanVerticalIrradianceWm2(weather);
    const airBaseGain =
      p.internalGainBtuPerHour * (1 - p.massInternalGainFraction) +
      solarBtuPerHour * (1 - p.massSolarGainFraction);
    const massGain =
      p.internalGainBtuPerHour * p.massInternalGainFraction + solarBtuPerHour * p.massSolarGainFraction;
    const coolingHeat =
      -(p.coolingCapacityBtuPerHour * coolingCapacityFactor(outdoorF)) / (1 + p.latentLoadFraction);
    const heatingHeat = this.heatingDeliveredBtuPerHour(outdoorF);
    const coolingKw = this.coolingKw(outdoorF);
    const heatingKw = this.heatingKw(outdoorF);
    const half = p.thermostatDeadbandF / 2;

    const totalHours = durationS / SECONDS_PER_HOUR;
    let elapsed = 0;
    let energyKwh = 0;
    for (let guard = 0; elapsed < totalHours && guard < 10_000; guard++) {
      this.thermostat();
      const hvacHeat = this.state === 'cooling' ? coolingHeat : this.state === 'heating' ? heatingHeat : 0;
      const powerKw = this.state === 'cooling' ? coolingKw : this.state === 'heating' ? heatingKw : 0;
      let upperF = Number.POSITIVE_INFINITY;
      let lowerF = Number.NEGATIVE_INFINITY;
      if (this.state === 'cooling') lowerF = this.coolingSetpointF - half;
      else if (this.state === 'heating') upperF = this.heatingSetpointF + half;
      else {
        if (p.coolingCapacityBtuPerHour > 0) upperF = this.coolingSetpointF + half;
        if (p.heatingSystem !== 'none') lowerF = this.heatingSetpointF - half;
      }
      this.solver.setSegment(this.airTempF, this.massTempF, outdoorF, airBaseGain + hvacHeat, massGain);
      const segmentHours = totalHours - elapsed;
      // March in sub-steps so a threshold crossed and re-crossed within one step cannot be missed.
      let t = 0;
      let switchedAt = -1;
      let thresholdF = Number.NaN;
      while (t < segmentHours) {
        const next = Math.min(segmentHours, t + this.maxSubstepHours);
        const airNext = this.solver.airAt(next);
        if (airNext >= upperF || airNext <= lowerF) {
          thresholdF = airNext >= upperF ? upperF : lowerF;
          switchedAt = this.solver.crossingTime(t, next, thresholdF);
          break;
        }
        t = next;
      }
      const segmentEnd = switchedAt >= 0 ? switchedAt : segmentHours;
      // At a switch the air sits exactly on the threshold, so the thermostat flips deterministically.
      this.airTempF = switchedAt >= 0 ? thresholdF : this.solver.airAt(segmentEnd);
      this.massTempF = this.solver.massAt(segmentEnd);
      energyKwh += powerKw * segmentEnd;
      elapsed += segmentEnd;
      if (switchedAt < 0) break;
    }
    this.lastPowerKw = totalHours > 0 ? energyKwh / totalHours : 0;
    return this.lastPowerKw;
  }

  observe(): DerObservation {
    return {
      powerKw: this.lastPowerKw,
      indoorTempF: this.airTempF,
      comfortLowF: this.params.heatingSetpointF - this.params.comfortMarginF,
      comfortHighF: this.params.coolingSetpointF + this.params.comfortMarginF,
    };
  }
}

/** Creates a house HVAC agent; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createHvac(id: string, params: HvacParams, mode: ControlMode): HvacAgent {
  throwIfInvalid(validateHvacParams(params));
  return new EtpHvacAgent(id, params, mode);
}
