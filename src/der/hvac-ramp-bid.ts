/**
 * The transactive thermostat's price–temperature ramp, as pure functions.
 *
 * GridLAB-D `controller` (market module, RAMP mode): the bid price rises linearly with how far the air
 * temperature has drifted from the base setpoint, in units of the market's recent price standard
 * deviation; after clearing, the setpoint moves by the inverse of the same ramp and is clamped to
 * [base + rangeLow, base + rangeHigh]. The comfort slider (0..1) narrows the ranges and steepens the ramps.
 *
 * TESP `hvac_agent` (original): the same ramp with a symmetric temperature range Trange = 2 × offsetLimit.
 */

export interface RampPreset {
  readonly rampLow: number;
  readonly rampHigh: number;
  /** Temperature offsets (°F) from the base setpoint that bound the setpoint. */
  readonly rangeLowF: number;
  readonly rangeHighF: number;
  /** +1 cooling (hotter = more willing to pay), −1 heating. */
  readonly direction: 1 | -1;
}

/** GridLAB-D's HOUSE_COOL and HOUSE_HEAT presets. */
export const HOUSE_COOL: RampPreset = { rampLow: 2, rampHigh: 2, rangeLowF: 0, rangeHighF: 5, direction: 1 };
export const HOUSE_HEAT: RampPreset = {
  rampLow: -2,
  rampHigh: -2,
  rangeLowF: -5,
  rangeHighF: 0,
  direction: -1,
};

/** The effective ramp and setpoint limits after the comfort slider. */
export interface RampLimits extends RampPreset {
  readonly minSetpointF: number;
  readonly maxSetpointF: number;
}

/**
 * GridLAB-D's slider rule: unset (null) keeps the preset; slider s in (0, 1] scales both ranges by s and
 * sets |ramp| = 2 + (1 − s) where the range is non-zero (0 where it is zero); s = 0 pins the setpoint.
 * GridLAB-D writes the ramp as a positive number even for HOUSE_HEAT; we keep the preset's sign so that a
 * heating house still bids more as it gets colder.
 */
export function rampLimits(preset: RampPreset, baseSetpointF: number, slider: number | null): RampLimits {
  if (slider === null) {
    return {
      ...preset,
      minSetpointF: baseSetpointF + preset.rangeLowF,
      maxSetpointF: baseSetpointF + preset.rangeHighF,
    };
  }
  const s = slider < 0 ? 0 : slider > 1 ? 1 : slider;
  if (s === 0) return { ...preset, minSetpointF: baseSetpointF, maxSetpointF: baseSetpointF };
  const steepness = 2 + (1 - s);
  return {
    direction: preset.direction,
    rangeLowF: preset.rangeLowF * s,
    rangeHighF: preset.rangeHighF * s,
    rampLow: preset.rangeLowF === 0 ? 0 : Math.sign(preset.rampLow || 1) * steepness,
    rampHigh: preset.rangeHighF === 0 ? 0 : Math.sign(preset.rampHigh || 1) * steepness,
    minSetpointF: baseSetpointF + preset.rangeLowF * s,
    maxSetpointF: baseSetpointF + preset.rangeHighF * s,
  };
}

export interface RampBidInput {
  readonly airTempF: number;
  readonly baseSetpointF: number;
  readonly meanPrice: number;
  readonly stdevPrice: number;
  readonly priceCap: number;
  readonly limits: RampLimits;
}

/** Below this standard deviation the ramp is flat (GridLAB-D compares against the market's bid offset). */
export const RAMP_MIN_STDEV = 1e-9;

/**
 * GridLAB-D controller ramp bid price, or null for no bid (the device would not run at any price: air
 * below the minimum setpoint when cooling, above the maximum when heating). Beyond the other limit the
 * device must run and bids the price cap. The price is clipped to [−cap, cap].
 */
export function gridlabdRampBidPrice(input: RampBidInput): number | null {
  const { airTempF, baseSetpointF, meanPrice, stdevPrice, priceCap, limits } = input;
  if (limits.direction > 0) {
    if (airTempF > limits.maxSetpointF) return priceCap;
    if (airTempF < limits.minSetpointF) return null;
  } else {
    if (airTempF < limits.minSetpointF) return priceCap;
    if (airTempF > limits.maxSetpointF) return null;
  }
  let price = meanPrice;
  if (airTempF !== baseSetpointF && Math.abs(stdevPrice) >= RAMP_MIN_STDEV) {
    const above = airTempF > baseSetpointF;
    const ramp = above ? limits.rampHigh : limits.rampLow;
    const range = above ? limits.rangeHighF : limits.rangeLowF;
    if (range !== 0) price = meanPrice + ((airTempF - baseSetpointF) * ramp * stdevPrice) / Math.abs(range);
  }
  return price > priceCap ? priceCap : price < -priceCap ? -priceCap : price;
}

export interface RampSetpointInput {
  readonly clearingPrice: number;
  readonly baseSetpointF: number;
  readonly meanPrice: number;
  readonly stdevPrice: number;
  readonly limits: RampLimits;
}

/** GridLAB-D controller setpoint response to the clearing price, clamped to the slider's limits. */
export function gridlabdRampSetpointF(input: RampSetpointInput): number {
  return rampSetpointF(
    input.clearingPrice,
    input.baseSetpointF,
    input.meanPrice,
    input.stdevPrice,
    input.limits,
  );
}

/** Positional form of gridlabdRampSetpointF for the per-slot hot path (no argument object). */
export function rampSetpointF(
  clearingPrice: number,
  baseSetpointF: number,
  meanPrice: number,
  stdevPrice: number,
  limits: RampLimits,
): number {
  let setpointF = baseSetpointF;
  if (Math.abs(stdevPrice) >= RAMP_MIN_STDEV) {
    if (clearingPrice < meanPrice && limits.rangeLowF !== 0 && limits.rampLow !== 0) {
      setpointF =
        baseSetpointF +
        ((clearingPrice - meanPrice) * Math.abs(limits.rangeLowF)) / (limits.rampLow * stdevPrice);
    } else if (clearingPrice > meanPrice && limits.rangeHighF !== 0 && limits.rampHigh !== 0) {
      setpointF =
        baseSetpointF +
        ((clearingPrice - meanPrice) * Math.abs(limits.rangeHighF)) / (limits.rampHigh * stdevPrice);
    }
  }
  return setpointF > limits.maxSetpointF
    ? limits.maxSetpointF
    : setpointF < limits.minSetpointF
      ? limits.minSetpointF
      : setpointF;
}

export interface TespBidInput {
  readonly airTempMinusBasepointF: number;
  readonly meanPrice: number;
  readonly stdevPrice: number;
  readonly ramp: number;
  /** Largest setpoint offset the agent accepts (°F); the ramp spans twice this. */
  readonly offsetLimitF: number;
  readonly priceCap: number;
}

/** TESP original hvac_agent bid: mean + ΔT · ramp · stdev / (2 · offsetLimit), clipped to [0, cap]. */
export function tespHvacBidPrice(input: TespBidInput): number {
  const temperatureRangeF = 2 * input.offsetLimitF;
  const price =
    input.meanPrice + (input.airTempMinusBasepointF * input.ramp * input.stdevPrice) / temperatureRangeF;
  return price < 0 ? 0 : price > input.priceCap ? input.priceCap : price;
}
