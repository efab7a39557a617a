/**
 * The equivalent thermal parameters (ETP) of a house from its geometry and insulation, as GridLAB-D's
 * house_e derives them: a two-node model with the indoor air (capacitance Ca) coupled to the building mass
 * (Cm) through Hm, and to the outdoors through the envelope conductance UA. Units are GridLAB-D's: °F, Btu,
 * hours, square feet.
 */

/** The geometry and insulation that determine the ETP coefficients. */
export interface HouseEnvelope {
  readonly floorAreaSqft: number;
  readonly ceilingHeightFt: number;
  /** Length over width of the footprint. */
  readonly aspectRatio: number;
  readonly stories: number;
  /** Window area over gross exterior wall area. */
  readonly windowWallRatio: number;
  readonly doors: number;
  readonly rValueCeilingFt2FHPerBtu: number;
  readonly rValueWallFt2FHPerBtu: number;
  readonly rValueFloorFt2FHPerBtu: number;
  readonly rValueWindowFt2FHPerBtu: number;
  readonly rValueDoorFt2FHPerBtu: number;
  /** Infiltration, air changes per hour. */
  readonly airChangesPerHour: number;
  /** Total thermal mass (structure, furniture, air) per floor area. */
  readonly thermalMassBtuPerFSqft: number;
  /** Film coefficient between the indoor air and the interior surfaces. */
  readonly interiorSurfaceConductanceBtuPerHFt2F: number;
}

export interface EtpCoefficients {
  readonly uaBtuPerHF: number;
  readonly airCapacitanceBtuPerF: number;
  readonly massCapacitanceBtuPerF: number;
  readonly massConductanceBtuPerHF: number;
  readonly windowAreaSqft: number;
  readonly grossWallAreaSqft: number;
}

const AIR_DENSITY_LB_PER_FT3 = 0.0735;
const AIR_HEAT_CAPACITY_BTU_PER_LB_F = 0.2402;
/** GridLAB-D counts three times the air's heat capacity in the air node (furnishings in contact with it). */
const AIR_NODE_CAPACITY_MULTIPLIER = 3;
/** A door is 3 ft × 6.5 ft. */
const DOOR_AREA_SQFT = 19.5;
/** Interior walls per exterior wall, for the air–mass contact area (GridLAB-D default 1.5). */
const INTERIOR_EXTERIOR_WALL_RATIO = 1.5;

export function computeEtpCoefficients(house: HouseEnvelope): EtpCoefficients {
  const footprintSqft = house.floorAreaSqft / house.stories;
  const widthFt = Math.sqrt(footprintSqft / house.aspectRatio);
  const grossWallAreaSqft = 2 * house.stories * (house.aspectRatio + 1) * house.ceilingHeightFt * widthFt;
  const windowAreaSqft = grossWallAreaSqft * house.windowWallRatio;
  const doorAreaSqft = house.doors * DOOR_AREA_SQFT;
  const netWallAreaSqft = Math.max(0, grossWallAreaSqft - windowAreaSqft - doorAreaSqft);
  const airVolumeFt3 = house.floorAreaSqft * house.ceilingHeightFt;
  const infiltrationUa =
    AIR_DENSITY_LB_PER_FT3 * AIR_HEAT_CAPACITY_BTU_PER_LB_F * airVolumeFt3 * house.airChangesPerHour;
  const envelopeUa =
    footprintSqft / house.rValueCeilingFt2FHPerBtu +
    footprintSqft / house.rValueFloorFt2FHPerBtu +
    netWallAreaSqft / house.rValueWallFt2FHPerBtu +
    windowAreaSqft / house.rValueWindowFt2FHPerBtu +
    doorAreaSqft / house.rValueDoorFt2FHPerBtu;
  const airCapacitanceBtuPerF =
    AIR_NODE_CAPACITY_MULTIPLIER * AIR_HEAT_CAPACITY_BTU_PER_LB_F * AIR_DENSITY_LB_PER_FT3 * airVolumeFt3;
  const massCapacitanceBtuPerF = Math.max(
    0.1 * airCapacitanceBtuPerF,
    house.thermalMassBtuPerFSqft * house.floorAreaSqft - airCapacitanceBtuPerF,
  );
  // Air touches interior and exterior walls and every floor's ceiling.
  const massConductanceBtuPerHF =
    house.interiorSurfaceConductanceBtuPerHFt2F *
    (grossWallAreaSqft * INTERIOR_EXTERIOR_WALL_RATIO + house.stories * footprintSqft);
  return {
    uaBtuPerHF: envelopeUa + infiltrationUa,
    airCapacitanceBtuPerF,
    massCapacitanceBtuPerF,
    massConductanceBtuPerHF,
    windowAreaSqft,
    grossWallAreaSqft,
  };
}

/** Cooling design conditions of GridLAB-D/TESP auto-sizing. */
export const COOLING_DESIGN_OUTDOOR_F = 95;
export const COOLING_DESIGN_INDOOR_F = 75;
/** Peak solar gain per window area at design (Btu/h·ft²). */
export const DESIGN_PEAK_SOLAR_BTU_PER_H_SQFT = 195;

/** TESP's design internal gains as a function of floor area (Btu/h). */
export function designInternalGainsBtuPerHour(floorAreaSqft: number): number {
  return 167.09 * floorAreaSqft ** 0.442;
}

/**
 * Auto-sized total (sensible + latent) cooling capacity, rounded up to the next half ton (6000 Btu/h) as
 * GridLAB-D sizes house_e air conditioners: design sensible load × (1 + latent) × (1 + oversizing).
 */
export function designCoolingCapacityBtuPerHour(
  etp: EtpCoefficients,
  solarGainFactor: number,
  internalGainBtuPerHour: number,
  latentLoadFraction: number,
  oversizingFraction: number,
): number {
  const sensible =
    etp.uaBtuPerHF * (COOLING_DESIGN_OUTDOOR_F - COOLING_DESIGN_INDOOR_F) +
    internalGainBtuPerHour +
    DESIGN_PEAK_SOLAR_BTU_PER_H_SQFT * etp.windowAreaSqft * solarGainFactor;
  const total = sensible * (1 + latentLoadFraction) * (1 + oversizingFraction);
  return Math.ceil(total / 6000) * 6000;
}
