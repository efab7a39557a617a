/** Parameters of an electric resistance storage water heater (one-node tank), validation and sampling. */
import type { TeError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import { ParameterChecker } from './parameter-checks.js';
import type { DrawProfileParams } from './water-heater-draw.js';

export interface WaterHeaterParams extends DrawProfileParams {
  readonly tankVolumeGal: number;
  /** Standby loss conductance of the tank jacket. */
  readonly tankUaBtuPerHourF: number;
  readonly elementPowerKw: number;
  /** Occupant's setpoint (top of the band). */
  readonly setpointF: number;
  /** Baseline thermostat: element on at setpoint − deadband, off at the setpoint. */
  readonly thermostatDeadbandF: number;
  readonly inletWaterTempF: number;
  /** Temperature around the tank (conditioned space or garage). */
  readonly ambientTempF: number;
  /**
   * Transactive band: the controller may let the tank cool to setpoint − this before it must heat at any
   * price.
   */
  readonly flexibilityRangeF: number;
  /** Steepness of the price ramp in standard deviations of price over the band. */
  readonly priceRamp: number;
  /** Initial tank temperature; null = setpoint. */
  readonly initialTankTempF: number | null;
}

/** A 50-gallon, 4.5 kW tank at 120 °F (typical US electric water heater), 50 gal/day household. */
export const DEFAULT_WATER_HEATER_PARAMS: WaterHeaterParams = {
  tankVolumeGal: 50,
  tankUaBtuPerHourF: 3,
  elementPowerKw: 4.5,
  setpointF: 120,
  thermostatDeadbandF: 4,
  inletWaterTempF: 60,
  ambientTempF: 70,
  flexibilityRangeF: 10,
  priceRamp: 2,
  initialTankTempF: null,
  dailyDrawGal: 50,
  drawShiftHours: 0,
  dailyVariationLog: 0.25,
  drawSeed: 1,
  utcOffsetHours: 0,
};

export function validateWaterHeaterParams(p: WaterHeaterParams): readonly TeError[] {
  const c = new ParameterChecker('water-heater');
  c.range('tankVolumeGal', p.tankVolumeGal, 10, 200, 'gal')
    .range('tankUaBtuPerHourF', p.tankUaBtuPerHourF, 0.1, 20, 'Btu/h·°F')
    .range('elementPowerKw', p.elementPowerKw, 0.5, 12, 'kW')
    .range('setpointF', p.setpointF, 100, 160, '°F')
    .range('thermostatDeadbandF', p.thermostatDeadbandF, 0.5, 20, '°F')
    .range('inletWaterTempF', p.inletWaterTempF, 32, 90, '°F')
    .range('ambientTempF', p.ambientTempF, 20, 120, '°F')
    .range('flexibilityRangeF', p.flexibilityRangeF, 0, 40, '°F')
    .range('priceRamp', p.priceRamp, 0.1, 10)
    .range('dailyDrawGal', p.dailyDrawGal, 0, 500, 'gal/day')
    .range('drawShiftHours', p.drawShiftHours, -6, 6, 'h')
    .range('dailyVariationLog', p.dailyVariationLog, 0, 1)
    .range('drawSeed', p.drawSeed, 0, 4294967295)
    .range('utcOffsetHours', p.utcOffsetHours, -14, 14, 'h');
  if (p.initialTankTempF !== null) c.range('initialTankTempF', p.initialTankTempF, 32, 212, '°F');
  c.require(
    'inletWaterTempF',
    p.inletWaterTempF < p.setpointF - p.flexibilityRangeF,
    'the inlet water must be colder than the lowest allowed tank temperature',
    'lower inletWaterTempF or flexibilityRangeF',
  );
  return c.errors;
}

/**
 * A water heater drawn for a population: tank size from the usual 40/50/65/80 gallon mix, element 4.5 kW
 * (5.5 kW on the larger tanks), setpoint 115–130 °F, daily use log-normal around 50 gal scaled with the
 * tank, routine shifted by up to ±1.5 h.
 */
export function sampleWaterHeaterParams(
  rng: SeededRandom,
  overrides: Partial<WaterHeaterParams> = {},
): WaterHeaterParams {
  const roll = rng.next();
  const tankVolumeGal = roll < 0.3 ? 40 : roll < 0.8 ? 50 : roll < 0.93 ? 65 : 80;
  const drawn: WaterHeaterParams = {
    ...DEFAULT_WATER_HEATER_PARAMS,
    tankVolumeGal,
    tankUaBtuPerHourF: rng.uniform(2, 4) * (tankVolumeGal / 50) ** (2 / 3),
    elementPowerKw: tankVolumeGal >= 65 ? 5.5 : 4.5,
    setpointF: Math.round(rng.uniform(115, 130)),
    thermostatDeadbandF: rng.uniform(3, 6),
    inletWaterTempF: rng.uniform(55, 70),
    dailyDrawGal: 50 * (tankVolumeGal / 50) * Math.exp(rng.normal(0, 0.35)),
    drawShiftHours: rng.uniform(-1.5, 1.5),
    drawSeed: rng.nextUint32(),
  };
  return { ...drawn, ...overrides };
}
