/**
 * An EV's charging need (NotifyEVChargingNeeds, OCPP 2.0.1 part 2, K15-K17) as tenet bids it: energy,
 * departure and the power range. The schema has already checked types and enums; this checks what a
 * schema cannot (a departure in the past, an energy or power no EV asks for, parameters that do not fit
 * the requested transfer mode) and answers Rejected with a reason instead of storing nonsense.
 */

/** The subset of NotifyEVChargingNeedsRequest this module reads. */
export interface NotifyEvChargingNeedsRequest {
  readonly evseId: number;
  readonly chargingNeeds: {
    readonly requestedEnergyTransfer: 'DC' | 'AC_single_phase' | 'AC_two_phase' | 'AC_three_phase';
    readonly departureTime?: string;
    readonly acChargingParameters?: {
      readonly energyAmount: number;
      readonly evMinCurrent: number;
      readonly evMaxCurrent: number;
      readonly evMaxVoltage: number;
    };
    readonly dcChargingParameters?: {
      readonly evMaxCurrent: number;
      readonly evMaxVoltage: number;
      readonly energyAmount?: number;
      readonly evMaxPower?: number;
    };
  };
}

export interface ChargingNeed {
  readonly stationId: string;
  readonly evseId: number;
  readonly transferMode: NotifyEvChargingNeedsRequest['chargingNeeds']['requestedEnergyTransfer'];
  readonly energyWh: number;
  /** Undefined when the EV did not say; bidding then assumes DEFAULT_STAY_MS from receipt. */
  readonly departureMs: number | undefined;
  readonly maxPowerW: number;
  readonly minPowerW: number;
  /** Per phase, AC only: a profile for this need is in amperes (docs/protocols/ocpp.md). */
  readonly maxCurrentA: number | undefined;
  readonly minCurrentA: number | undefined;
  readonly phases: 1 | 2 | 3;
  readonly receivedMs: number;
  readonly registerWhAtReceipt: number | undefined;
}

export interface NeedRejection {
  /** OCPP StatusInfo.reasonCode (at most 20 characters). */
  readonly reasonCode: string;
  readonly additionalInfo: string;
}

/**
 * The supply's phase voltage is not in the message (evMaxVoltage is the EV's limit, not the grid's), so
 * AC power is reckoned at a nominal 230 V per phase.
 */
export const NOMINAL_PHASE_VOLTAGE_V = 230;
/** The largest energy accepted: twice the biggest truck packs on the road. */
export const MAX_ENERGY_WH = 2_000_000;
/** Megawatt charging tops out at 3.75 MW; anything above is a unit mistake. */
export const MAX_POWER_W = 4_000_000;
/** Departures further ahead than this are refused: no market is open that far. */
export const MAX_DEPARTURE_AHEAD_MS = 7 * 86_400_000;
/** Without a departure time the EV is assumed to stay this long (an evening-to-morning stay). */
export const DEFAULT_STAY_MS = 8 * 3_600_000;

const PHASES = { DC: 1, AC_single_phase: 1, AC_two_phase: 2, AC_three_phase: 3 } as const;

function reject(reasonCode: string, additionalInfo: string): { ok: false; rejection: NeedRejection } {
  return { ok: false, rejection: { reasonCode, additionalInfo } };
}

export function parseChargingNeed(
  stationId: string,
  request: NotifyEvChargingNeedsRequest,
  nowMs: number,
  registerWh: number | undefined,
): { ok: true; need: ChargingNeed } | { ok: false; rejection: NeedRejection } {
  const { evseId, chargingNeeds: needs } = request;
  if (evseId < 1) return reject('InvalidEVSE', 'evseId must be 1 or more (0 is the station itself)');
  let departureMs: number | undefined;
  if (needs.departureTime !== undefined) {
    departureMs = Date.parse(needs.departureTime);
    if (!Number.isFinite(departureMs)) return reject('InvalidDeparture', 'departureTime is not a date');
    if (departureMs <= nowMs) return reject('DepartureInPast', 'departureTime is not in the future');
    if (departureMs - nowMs > MAX_DEPARTURE_AHEAD_MS)
      return reject('DepartureTooFar', 'departureTime is more than 7 days ahead');
  }
  const mode = needs.requestedEnergyTransfer;
  const phases = PHASES[mode];
  let energyWh: number | undefined;
  let maxPowerW: number;
  let minPowerW = 0;
  let maxCurrentA: number | undefined;
  let minCurrentA: number | undefined;
  if (mode === 'DC') {
    const dc = needs.dcChargingParameters;
    if (dc === undefined) return reject('MissingParameters', 'DC transfer needs dcChargingParameters');
    if (dc.evMaxCurrent <= 0 || dc.evMaxVoltage <= 0)
      return reject('PowerOutOfRange', 'evMaxCurrent and evMaxVoltage must be positive');
    maxPowerW = Math.min(dc.evMaxPower ?? Number.POSITIVE_INFINITY, dc.evMaxCurrent * dc.evMaxVoltage);
    energyWh = dc.energyAmount;
  } else {
    const ac = needs.acChargingParameters;
    if (ac === undefined) return reject('MissingParameters', `${mode} transfer needs acChargingParameters`);
    if (ac.evMaxCurrent <= 0 || ac.evMaxVoltage <= 0 || ac.evMinCurrent < 0)
      return reject('PowerOutOfRange', 'evMaxCurrent and evMaxVoltage must be positive');
    if (ac.evMinCurrent > ac.evMaxCurrent) return reject('MinAboveMax', 'evMinCurrent is above evMaxCurrent');
    maxCurrentA = ac.evMaxCurrent;
    minCurrentA = ac.evMinCurrent;
    maxPowerW = ac.evMaxCurrent * phases * NOMINAL_PHASE_VOLTAGE_V;
    minPowerW = ac.evMinCurrent * phases * NOMINAL_PHASE_VOLTAGE_V;
    energyWh = ac.energyAmount;
  }
  if (energyWh === undefined) return reject('MissingEnergy', 'the need gives no energyAmount to bid for');
  if (energyWh <= 0 || energyWh > MAX_ENERGY_WH)
    return reject('EnergyOutOfRange', `energyAmount must be 1 to ${MAX_ENERGY_WH} Wh`);
  if (!(maxPowerW > 0) || maxPowerW > MAX_POWER_W)
    return reject('PowerOutOfRange', `the EV's maximum power must be above 0 and at most ${MAX_POWER_W} W`);
  return {
    ok: true,
    need: {
      stationId,
      evseId,
      transferMode: mode,
      energyWh,
      departureMs,
      maxPowerW: Math.round(maxPowerW),
      minPowerW: Math.round(minPowerW),
      maxCurrentA,
      minCurrentA,
      phases,
      receivedMs: nowMs,
      registerWhAtReceipt: registerWh,
    },
  };
}

/** The departure bidding plans for. */
export function plannedDepartureMs(need: ChargingNeed): number {
  return need.departureMs ?? need.receivedMs + DEFAULT_STAY_MS;
}

/** Energy still to deliver: the need less what the station has metered since it arrived. */
export function remainingEnergyWh(need: ChargingNeed, registerWh: number | undefined): number {
  const delivered =
    need.registerWhAtReceipt === undefined || registerWh === undefined
      ? 0
      : Math.max(0, registerWh - need.registerWhAtReceipt);
  return Math.max(0, need.energyWh - delivered);
}
