/**
 * Rooftop PV with its inverter. Plane-of-array irradiance by the isotropic-sky model; cell temperature
 * by the NOCT model (T_cell = T_air + (NOCT − 20 °C) × G / 800 W/m²); DC power from the STC rating with a
 * linear temperature coefficient and a lumped DC loss (soiling, wiring, mismatch, as PVWatts' system
 * losses); AC power through a constant inverter efficiency, clipped at the inverter's kVA rating (unity
 * power factor). Power is negative (generation) in the load-reference convention.
 *
 * A price taker: it offers its expected output at price 0 and produces what the sun gives, in both
 * modes, unless an external limit is set (limitActivePower: a utility's export limit or disconnect), which
 * curtails the output to it. With `inverter` set, gridSupport() reports the IEEE 1547 functions' reactive
 * power and curtailment at a measured voltage (the simulation applies them when it wires voltages in).
 */
import type { TeError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import { gridSupportResponse, type GridSupportResponse } from './inverter/grid-support.js';
import {
  inverterRatingFor,
  type InverterFunctions,
  type InverterRating,
} from './inverter/inverter-settings.js';
import { validateInverterFunctions } from './inverter/inverter-settings-validation.js';
import { ParameterChecker, throwIfInvalid } from './parameter-checks.js';
import { DEFAULT_GROUND_ALBEDO, planeOfArrayIrradianceWm2 } from './surface-irradiance.js';
import type {
  ActivePowerLimit,
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  WeatherSnapshot,
} from './types.js';

export interface PvParams {
  /** DC rating at standard test conditions (1000 W/m², 25 °C cell). */
  readonly ratedDcKw: number;
  /** AC apparent-power limit of the inverter; output above it is clipped. */
  readonly inverterKva: number;
  readonly inverterEfficiency: number;
  readonly tiltDeg: number;
  /** Array azimuth, degrees clockwise from north (180 = south). */
  readonly azimuthDeg: number;
  /** Relative change of DC power per °C of cell temperature above 25 °C (negative). */
  readonly temperatureCoefficientPerC: number;
  /** Nominal operating cell temperature (800 W/m², 20 °C air, 1 m/s wind). */
  readonly nominalOperatingCellTempC: number;
  /** Lumped DC losses (0..1). */
  readonly dcLossFraction: number;
  readonly groundAlbedo: number;
  /** IEEE 1547 smart-inverter functions; left out: unity power factor, no curtailment. */
  readonly inverter?: InverterFunctions;
}

/** A 6 kW DC array (DC/AC 1.2), 20° tilt facing south, crystalline silicon. */
export const DEFAULT_PV_PARAMS: PvParams = {
  ratedDcKw: 6,
  inverterKva: 5,
  inverterEfficiency: 0.96,
  tiltDeg: 20,
  azimuthDeg: 180,
  temperatureCoefficientPerC: -0.004,
  nominalOperatingCellTempC: 45,
  dcLossFraction: 0.1,
  groundAlbedo: DEFAULT_GROUND_ALBEDO,
};

export function validatePvParams(p: PvParams): readonly TeError[] {
  const inverterErrors =
    p.inverter === undefined ? [] : validateInverterFunctions(p.inverter, pvInverterRating(p, p.inverter));
  const errors = new ParameterChecker('pv')
    .range('ratedDcKw', p.ratedDcKw, 0.1, 10000, 'kW')
    .range('inverterKva', p.inverterKva, 0.1, 10000, 'kVA')
    .range('inverterEfficiency', p.inverterEfficiency, 0.5, 1)
    .range('tiltDeg', p.tiltDeg, 0, 90, '°')
    .range('azimuthDeg', p.azimuthDeg, 0, 360, '°')
    .range('temperatureCoefficientPerC', p.temperatureCoefficientPerC, -0.01, 0, '1/°C')
    .range('nominalOperatingCellTempC', p.nominalOperatingCellTempC, 30, 60, '°C')
    .range('dcLossFraction', p.dcLossFraction, 0, 0.5)
    .range('groundAlbedo', p.groundAlbedo, 0, 1).errors;
  return [...errors, ...inverterErrors];
}

/** A PV inverter: P_rated = S_rated = inverterKva, absorbs no active power. */
export function pvInverterRating(p: PvParams, functions: InverterFunctions): InverterRating {
  return inverterRatingFor(functions, p.inverterKva, p.inverterKva, 0);
}

/** Residential arrays: 3–10 kW DC, DC/AC 1.1–1.3, tilt 15–35°, facing south ± 60°. */
export function samplePvParams(rng: SeededRandom, overrides: Partial<PvParams> = {}): PvParams {
  const ratedDcKw = Math.round(rng.uniform(3, 10) * 10) / 10;
  const dcAcRatio = rng.uniform(1.1, 1.3);
  return {
    ...DEFAULT_PV_PARAMS,
    ratedDcKw,
    inverterKva: Math.round((ratedDcKw / dcAcRatio) * 10) / 10,
    tiltDeg: rng.uniform(15, 35),
    azimuthDeg: rng.normalClamped(180, 30, 120, 240),
    temperatureCoefficientPerC: rng.uniform(-0.0045, -0.0035),
    dcLossFraction: rng.uniform(0.08, 0.16),
    ...overrides,
  };
}

/** AC output (kW, ≥ 0) for the weather. */
export function pvAcOutputKw(p: PvParams, weather: WeatherSnapshot): number {
  const poaWm2 = planeOfArrayIrradianceWm2(
    weather.ghiWm2,
    weather.dniWm2,
    weather.dhiWm2,
    weather.solarZenithDeg,
    weather.solarAzimuthDeg,
    p.tiltDeg,
    p.azimuthDeg,
    p.groundAlbedo,
  );
  if (poaWm2 <= 0) return 0;
  const cellTempC = weather.outdoorTempC + ((p.nominalOperatingCellTempC - 20) * poaWm2) / 800;
  const dcKw =
    p.ratedDcKw *
    (poaWm2 / 1000) *
    (1 + p.temperatureCoefficientPerC * (cellTempC - 25)) *
    (1 - p.dcLossFraction);
  return Math.min(p.inverterKva, Math.max(0, dcKw * p.inverterEfficiency));
}

export interface PvAgent extends DerAgent {
  readonly kind: 'pv';
  readonly params: PvParams;
  /** The inverter's response at a measured voltage to the output of the last step. */
  gridSupport(vPu: number, frequencyHz?: number): GridSupportResponse;
  /** Caps the output of the next steps at `limit.maxGenerationKw`; undefined lifts the cap. */
  limitActivePower(limit: ActivePowerLimit | undefined): void;
}

class PvSystem implements PvAgent {
  readonly kind = 'pv' as const;
  private lastPowerKw = 0;
  private lastAvailableKw = 0;
  private limit: ActivePowerLimit | undefined;
  /** Whether the last step ran under a limit (its observation then says what was curtailed). */
  private lastStepLimited = false;

  constructor(
    readonly id: string,
    readonly params: PvParams,
    readonly mode: ControlMode,
  ) {}

  bid(_signal: unknown, weather: WeatherSnapshot): readonly DerBid[] {
    if (this.mode === 'baseline') return [];
    const expectedKw = pvAcOutputKw(this.params, weather);
    return expectedKw > 0 ? [{ side: 'sell', pricePerKwh: 0, powerKw: expectedKw }] : [];
  }

  dispatch(): void {}

  limitActivePower(limit: ActivePowerLimit | undefined): void {
    this.limit = limit;
  }

  step(weather: WeatherSnapshot): number {
    const availableKw = pvAcOutputKw(this.params, weather);
    this.lastAvailableKw = availableKw;
    this.lastStepLimited = this.limit !== undefined;
    this.lastPowerKw =
      this.limit === undefined
        ? -availableKw
        : -Math.min(availableKw, Math.max(0, this.limit.maxGenerationKw));
    return this.lastPowerKw;
  }

  observe(): DerObservation {
    return {
      powerKw: this.lastPowerKw,
      availablePvKw: this.lastAvailableKw,
      ...(this.lastStepLimited ? { curtailedKw: this.lastAvailableKw + this.lastPowerKw } : {}),
    };
  }

  gridSupport(vPu: number, frequencyHz?: number): GridSupportResponse {
    const { inverter } = this.params;
    if (inverter === undefined) return { pKw: this.lastPowerKw, qKvar: 0, curtailedKw: 0 };
    const rating = pvInverterRating(this.params, inverter);
    return gridSupportResponse(inverter, rating, vPu, frequencyHz, this.lastPowerKw, this.lastAvailableKw);
  }
}

/** Creates a PV agent; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createPv(id: string, params: PvParams, mode: ControlMode): PvAgent {
  throwIfInvalid(validatePvParams(params));
  return new PvSystem(id, params, mode);
}
