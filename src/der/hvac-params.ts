/**
 * Parameters of a house with its HVAC and transactive thermostat, their defaults (GridLAB-D house_e
 * defaults unless noted), validation, and seeded sampling for a population.
 */
import type { TeError } from '../core/errors.js';
import type { SeededRandom } from '../core/random.js';
import {
  computeEtpCoefficients,
  designCoolingCapacityBtuPerHour,
  designInternalGainsBtuPerHour,
  type HouseEnvelope,
} from './hvac-envelope.js';
import { HEATING_SYSTEMS, type HeatingSystem } from './hvac-equipment.js';
import { ParameterChecker } from './parameter-checks.js';

export interface HvacParams extends HouseEnvelope {
  /** Solar heat gain coefficient of the glazing. */
  readonly windowShgc: number;
  /** Share of the sun on the window that reaches the glass (shading, screens); GridLAB-D default 0.6. */
  readonly windowExteriorTransmission: number;
  /** Heat from people, lights and appliances (constant). */
  readonly internalGainBtuPerHour: number;
  /** Shares of the internal and solar gains that go to the mass node rather than the air. */
  readonly massInternalGainFraction: number;
  readonly massSolarGainFraction: number;
  /** Rated total cooling capacity at 95 °F outdoors. */
  readonly coolingCapacityBtuPerHour: number;
  /** Rated cooling COP at 95 °F outdoors. */
  readonly coolingCop: number;
  /** Latent share of the cooling load: sensible capacity = total / (1 + latent). */
  readonly latentLoadFraction: number;
  readonly heatingSystem: HeatingSystem;
  /** Rated heating capacity (at 47 °F for a heat pump). */
  readonly heatingCapacityBtuPerHour: number;
  /** Heat pump COP at 47 °F (1 is used for resistance heat; gas uses no electricity but the fan). */
  readonly heatingCop: number;
  /** Blower power while heating or cooling. */
  readonly fanPowerKw: number;
  readonly coolingSetpointF: number;
  readonly heatingSetpointF: number;
  /** Full width of the thermostat hysteresis: on at setpoint + half, off at setpoint − half (cooling). */
  readonly thermostatDeadbandF: number;
  /**
   * The comfort band is [heatingSetpointF − comfortMarginF, coolingSetpointF + comfortMarginF], the
   * occupant's base setpoints widened by this margin. Must be ≥ half the deadband so normal thermostat
   * cycling is never counted as discomfort.
   */
  readonly comfortMarginF: number;
  /** GridLAB-D controller slider (0 = no flexibility … 1 = full preset range); null = preset as is. */
  readonly comfortSlider: number | null;
  /**
   * Initial air and mass temperature; null = the outdoor temperature at the first step clamped into the
   * setpoint band, plus initialTempOffsetF.
   */
  readonly initialAirTempF: number | null;
  /** Offset added to the derived initial temperature (spreads the thermostats' phases in a population). */
  readonly initialTempOffsetF: number;
  /** Upper bound on the integration sub-step; thermostat switching times are found exactly inside. */
  readonly maxSubstepS: number;
}

const DEFAULT_ENVELOPE: HouseEnvelope = {
  floorAreaSqft: 2000,
  ceilingHeightFt: 8,
  aspectRatio: 1.5,
  stories: 1,
  windowWallRatio: 0.15,
  doors: 4,
  rValueCeilingFt2FHPerBtu: 30,
  rValueWallFt2FHPerBtu: 19,
  rValueFloorFt2FHPerBtu: 22,
  rValueWindowFt2FHPerBtu: 2.13,
  rValueDoorFt2FHPerBtu: 5,
  airChangesPerHour: 0.5,
  thermalMassBtuPerFSqft: 2,
  interiorSurfaceConductanceBtuPerHFt2F: 1.46,
};

function withSizedEquipment(
  base: Omit<HvacParams, 'coolingCapacityBtuPerHour' | 'heatingCapacityBtuPerHour' | 'fanPowerKw'>,
  oversizingFraction: number,
): HvacParams {
  const etp = computeEtpCoefficients(base);
  const coolingCapacityBtuPerHour = designCoolingCapacityBtuPerHour(
    etp,
    base.windowShgc * base.windowExteriorTransmission,
    base.internalGainBtuPerHour,
    base.latentLoadFraction,
    oversizingFraction,
  );
  // Blower about 0.12 kW per ton (12,000 Btu/h) of cooling, a common residential figure.
  return {
    ...base,
    coolingCapacityBtuPerHour,
    heatingCapacityBtuPerHour: coolingCapacityBtuPerHour,
    fanPowerKw: (0.12 * coolingCapacityBtuPerHour) / 12000,
  };
}

/** A 2000 ft² single-storey house, GridLAB-D envelope defaults, auto-sized with 20 % oversizing. */
export const DEFAULT_HVAC_PARAMS: HvacParams = withSizedEquipment(
  {
    ...DEFAULT_ENVELOPE,
    windowShgc: 0.67,
    windowExteriorTransmission: 0.6,
    internalGainBtuPerHour: Math.round(designInternalGainsBtuPerHour(2000)),
    massInternalGainFraction: 0.5,
    massSolarGainFraction: 0.5,
    coolingCop: 3.5,
    latentLoadFraction: 0.3,
    heatingSystem: 'heat-pump',
    heatingCop: 3.0,
    coolingSetpointF: 75,
    heatingSetpointF: 68,
    thermostatDeadbandF: 2,
    comfortMarginF: 2,
    comfortSlider: null,
    initialAirTempF: null,
    initialTempOffsetF: 0,
    maxSubstepS: 60,
  },
  0.2,
);

export function validateHvacParams(p: HvacParams): readonly TeError[] {
  const c = new ParameterChecker('hvac');
  c.range('floorAreaSqft', p.floorAreaSqft, 100, 20000, 'ft²')
    .range('ceilingHeightFt', p.ceilingHeightFt, 6, 20, 'ft')
    .range('aspectRatio', p.aspectRatio, 0.2, 5)
    .range('stories', p.stories, 1, 4)
    .range('windowWallRatio', p.windowWallRatio, 0, 0.8)
    .range('doors', p.doors, 0, 10)
    .range('rValueCeilingFt2FHPerBtu', p.rValueCeilingFt2FHPerBtu, 1, 100, 'h·ft²·°F/Btu')
    .range('rValueWallFt2FHPerBtu', p.rValueWallFt2FHPerBtu, 1, 60, 'h·ft²·°F/Btu')
    .range('rValueFloorFt2FHPerBtu', p.rValueFloorFt2FHPerBtu, 1, 60, 'h·ft²·°F/Btu')
    .range('rValueWindowFt2FHPerBtu', p.rValueWindowFt2FHPerBtu, 0.5, 15, 'h·ft²·°F/Btu')
    .range('rValueDoorFt2FHPerBtu', p.rValueDoorFt2FHPerBtu, 0.5, 30, 'h·ft²·°F/Btu')
    .range('airChangesPerHour', p.airChangesPerHour, 0.05, 5, '1/h')
    .range('thermalMassBtuPerFSqft', p.thermalMassBtuPerFSqft, 0.5, 10, 'Btu/°F·ft²')
    .range('interiorSurfaceConductanceBtuPerHFt2F', p.interiorSurfaceConductanceBtuPerHFt2F, 0.1, 5)
    .range('windowShgc', p.windowShgc, 0, 1)
    .range('windowExteriorTransmission', p.windowExteriorTransmission, 0, 1)
    .range('internalGainBtuPerHour', p.internalGainBtuPerHour, 0, 50000, 'Btu/h')
    .range('massInternalGainFraction', p.massInternalGainFraction, 0, 1)
    .range('massSolarGainFraction', p.massSolarGainFraction, 0, 1)
    .range('coolingCapacityBtuPerHour', p.coolingCapacityBtuPerHour, 0, 240000, 'Btu/h')
    .range('coolingCop', p.coolingCop, 1, 8)
    .range('latentLoadFraction', p.latentLoadFraction, 0, 1)
    .oneOf('heatingSystem', p.heatingSystem, HEATING_SYSTEMS)
    .range('heatingCapacityBtuPerHour', p.heatingCapacityBtuPerHour, 0, 240000, 'Btu/h')
    .range('heatingCop', p.heatingCop, 1, 8)
    .range('fanPowerKw', p.fanPowerKw, 0, 5, 'kW')
    .range('coolingSetpointF', p.coolingSetpointF, 60, 90, '°F')
    .range('heatingSetpointF', p.heatingSetpointF, 50, 80, '°F')
    .range('thermostatDeadbandF', p.thermostatDeadbandF, 0.1, 10, '°F')
    .range('comfortMarginF', p.comfortMarginF, 0, 10, '°F')
    .range('initialTempOffsetF', p.initialTempOffsetF, -10, 10, '°F')
    .range('maxSubstepS', p.maxSubstepS, 1, 300, 's');
  if (p.comfortSlider !== null) c.range('comfortSlider', p.comfortSlider, 0, 1);
  if (p.initialAirTempF !== null) c.range('initialAirTempF', p.initialAirTempF, 0, 130, '°F');
  c.require(
    'heatingSetpointF',
    p.coolingSetpointF - p.heatingSetpointF >= p.thermostatDeadbandF,
    `the heating setpoint ${p.heatingSetpointF} °F must be at least one deadband (${p.thermostatDeadbandF} °F) below the cooling setpoint ${p.coolingSetpointF} °F`,
    'lower heatingSetpointF or raise coolingSetpointF',
  ).require(
    'comfortMarginF',
    p.comfortMarginF >= p.thermostatDeadbandF / 2,
    `the comfort margin ${p.comfortMarginF} °F is smaller than half the deadband (${p.thermostatDeadbandF / 2} °F), so normal cycling would count as discomfort`,
    'raise comfortMarginF or narrow thermostatDeadbandF',
  );
  return c.errors;
}

/**
 * A house drawn for a population, in the spirit of TESP's feeder generator: floor area log-normal around
 * 1800 ft²; one or two storeys; insulation from a "thermal integrity" level between old/poor and
 * modern/good (R-values, glazing and air tightness move together); setpoints from the spread of surveyed
 * thermostat settings; equipment auto-sized with 10–30 % oversizing; heating split among heat pump,
 * resistance and gas. `overrides` replace drawn values (the draws are made regardless, so the stream of
 * the other parameters does not change).
 */
export function sampleHvacParams(rng: SeededRandom, overrides: Partial<HvacParams> = {}): HvacParams {
  const floorAreaSqft = Math.round(Math.min(4500, Math.max(800, 1800 * Math.exp(rng.normal(0, 0.3)))));
  const stories = rng.bernoulli(0.25) ? 2 : 1;
  const integrity = rng.next(); // 0 = poorly insulated, 1 = well insulated
  const lerp = (poor: number, good: number): number => poor + (good - poor) * integrity;
  const coolingSetpointF = Math.round(rng.normalClamped(75, 2, 70, 80) * 2) / 2;
  const heatingSetpointF = Math.round(rng.normalClamped(68, 2, 62, 71) * 2) / 2;
  const deadband = rng.uniform(1.5, 2.5);
  const heatingRoll = rng.next();
  const oversizing = rng.uniform(0.1, 0.3);
  const internalScale = rng.normalClamped(1, 0.15, 0.6, 1.4);
  const slider = rng.uniform(0.3, 1);
  const initialOffset = rng.uniform(-deadband / 2, deadband / 2);
  const coolingCop = rng.uniform(3.0, 4.0);
  const base = {
    ...DEFAULT_HVAC_PARAMS,
    floorAreaSqft,
    stories,
    windowWallRatio: rng.uniform(0.1, 0.2),
    rValueCeilingFt2FHPerBtu: lerp(13, 49),
    rValueWallFt2FHPerBtu: lerp(7, 21),
    rValueFloorFt2FHPerBtu: lerp(10, 30),
    rValueWindowFt2FHPerBtu: lerp(1.3, 3.3),
    airChangesPerHour: lerp(1.2, 0.35),
    windowShgc: lerp(0.75, 0.4),
    internalGainBtuPerHour: designInternalGainsBtuPerHour(floorAreaSqft) * internalScale,
    coolingCop,
    heatingSystem: (heatingRoll < 0.45
      ? 'heat-pump'
      : heatingRoll < 0.6
        ? 'resistance'
        : 'gas') as HeatingSystem,
    heatingCop: coolingCop - 0.5,
    coolingSetpointF,
    heatingSetpointF: Math.min(heatingSetpointF, coolingSetpointF - 4),
    thermostatDeadbandF: deadband,
    comfortMarginF: 2,
    comfortSlider: slider,
    initialTempOffsetF: initialOffset,
    ...overrides,
  };
  const sized = withSizedEquipment(base, oversizing);
  return {
    ...sized,
    ...(overrides.coolingCapacityBtuPerHour === undefined
      ? {}
      : { coolingCapacityBtuPerHour: overrides.coolingCapacityBtuPerHour }),
    ...(overrides.heatingCapacityBtuPerHour === undefined
      ? {}
      : { heatingCapacityBtuPerHour: overrides.heatingCapacityBtuPerHour }),
    ...(overrides.fanPowerKw === undefined ? {} : { fanPowerKw: overrides.fanPowerKw }),
  };
}
