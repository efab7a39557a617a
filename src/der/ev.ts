/**
 * Electric vehicle on a Level 2 charger, with a commuter routine: it arrives home in the evening and leaves
 * the next morning, needing the energy of the day's driving back. Each day's arrival, departure and energy
 * are drawn from the EV's own seeded stream, so a day's schedule does not depend on the simulated horizon.
 *
 * Transactive: urgency u = energy still needed / (time left × charger power × efficiency). When u would
 * reach 1 if this slot were skipped, the EV must charge and bids the price cap. Below, it bids the u-quantile of the forecast prices up to departure:
 * needing a share u of the remaining slots, it is willing to pay what the cheapest u of them cost, so it
 * charges in the cheap slots and its bid rises as time runs out. Dispatch follows awardedKw.
 *
 * With its home's forecast in the signal, a non-urgent EV keeps the home's forecast peak hours free
 * (ev-forecast.ts).
 *
 * Baseline: charge at full power from arrival until the energy is back. Energy still missing at departure
 * is reported once, in the observation after the step in which the EV leaves.
 */
import type { TeError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import { slotDurationHours } from '../core/time.js';
import { evSkipsHomePeak } from './ev-forecast.js';
import { localDayIndex, ParameterChecker, throwIfInvalid } from './parameter-checks.js';
import { quantile } from './price-quantile.js';
import type {
  ControlMode,
  DerAgent,
  DerBid,
  DerObservation,
  MarketSignal,
  SlotOutcome,
  WeatherSnapshot,
} from './types.js';

export interface EvParams {
  readonly batteryCapacityKwh: number;
  /** Charger power at the meter (Level 2: 6.6 or 7.2 kW). */
  readonly chargerKw: number;
  /** Share of the metered energy that reaches the battery. */
  readonly chargingEfficiency: number;
  /** Mean and standard deviation of the arrival time, local standard hour (e.g. 18 = 6 pm). */
  readonly arrivalHourMean: number;
  readonly arrivalHourStdev: number;
  /** Mean and standard deviation of next morning's departure, local standard hour. */
  readonly departureHourMean: number;
  readonly departureHourStdev: number;
  /** Battery energy used by a day's driving: mean and coefficient of variation (log-normal). */
  readonly dailyEnergyKwhMean: number;
  readonly dailyEnergyCv: number;
  readonly scheduleSeed: number;
  readonly utcOffsetHours: number;
}

/** A 60 kWh EV on a 7.2 kW charger, home 18:00 ± 1.5 h, away 07:30 ± 0.75 h, 10 kWh/day (~35 miles). */
export const DEFAULT_EV_PARAMS: EvParams = {
  batteryCapacityKwh: 60,
  chargerKw: 7.2,
  chargingEfficiency: 0.9,
  arrivalHourMean: 18,
  arrivalHourStdev: 1.5,
  departureHourMean: 7.5,
  departureHourStdev: 0.75,
  dailyEnergyKwhMean: 10,
  dailyEnergyCv: 0.4,
  scheduleSeed: 1,
  utcOffsetHours: 0,
};

/** Arrivals are kept between 12:00 and 23:30 and departures between 04:00 and 11:00. */
const ARRIVAL_RANGE_H = [12, 23.5] as const;
const DEPARTURE_RANGE_H = [4, 11] as const;

export function validateEvParams(p: EvParams): readonly TeError[] {
  return new ParameterChecker('ev')
    .range('batteryCapacityKwh', p.batteryCapacityKwh, 5, 250, 'kWh')
    .range('chargerKw', p.chargerKw, 1, 20, 'kW')
    .range('chargingEfficiency', p.chargingEfficiency, 0.5, 1)
    .range('arrivalHourMean', p.arrivalHourMean, ARRIVAL_RANGE_H[0], ARRIVAL_RANGE_H[1], 'h')
    .range('arrivalHourStdev', p.arrivalHourStdev, 0, 6, 'h')
    .range('departureHourMean', p.departureHourMean, DEPARTURE_RANGE_H[0], DEPARTURE_RANGE_H[1], 'h')
    .range('departureHourStdev', p.departureHourStdev, 0, 6, 'h')
    .range('dailyEnergyKwhMean', p.dailyEnergyKwhMean, 0, 100, 'kWh')
    .range('dailyEnergyCv', p.dailyEnergyCv, 0, 2)
    .range('scheduleSeed', p.scheduleSeed, 0, 4294967295)
    .range('utcOffsetHours', p.utcOffsetHours, -14, 14, 'h').errors;
}

/** Commuter EVs: 40–100 kWh packs, 6.6 or 7.2 kW chargers, routines and mileage spread across homes. */
export function sampleEvParams(rng: SeededRandom, overrides: Partial<EvParams> = {}): EvParams {
  return {
    ...DEFAULT_EV_PARAMS,
    batteryCapacityKwh: Math.round(rng.uniform(40, 100)),
    chargerKw: rng.bernoulli(0.5) ? 6.6 : 7.2,
    chargingEfficiency: rng.uniform(0.86, 0.93),
    arrivalHourMean: rng.normalClamped(18, 1, 15, 21),
    departureHourMean: rng.normalClamped(7.5, 0.75, 5.5, 9.5),
    dailyEnergyKwhMean: rng.normalClamped(10, 3, 3, 25),
    scheduleSeed: rng.nextUint32(),
    ...overrides,
  };
}

/** One evening-to-morning stay at home. */
export interface EvSession {
  readonly arrivalMs: number;
  readonly departureMs: number;
  /** Battery-side energy to put back. */
  readonly energyNeededKwh: number;
}

/** The stay that starts on local day `day` (deterministic in the seed and the day). */
export function evSessionForDay(p: EvParams, day: number): EvSession {
  const rng = new SeededRandom((p.scheduleSeed ^ Math.imul(day + 1, 0x85ebca6b)) >>> 0);
  const arrivalH = rng.normalClamped(
    p.arrivalHourMean,
    p.arrivalHourStdev,
    ARRIVAL_RANGE_H[0],
    ARRIVAL_RANGE_H[1],
  );
  const departureH = rng.normalClamped(
    p.departureHourMean,
    p.departureHourStdev,
    DEPARTURE_RANGE_H[0],
    DEPARTURE_RANGE_H[1],
  );
  const sigma = Math.sqrt(Math.log(1 + p.dailyEnergyCv * p.dailyEnergyCv));
  const energy = p.dailyEnergyKwhMean * Math.exp(rng.normal(-sigma * sigma * 0.5, sigma));
  const dayStartMs = (day * 24 - p.utcOffsetHours) * 3_600_000;
  return {
    arrivalMs: dayStartMs + arrivalH * 3_600_000,
    departureMs: dayStartMs + (24 + departureH) * 3_600_000,
    energyNeededKwh: Math.min(energy, 0.9 * p.batteryCapacityKwh),
  };
}

export interface EvAgent extends DerAgent {
  readonly kind: 'ev';
  readonly params: EvParams;
  /** Battery-side energy still to deliver in the current stay (0 when away). */
  readonly remainingEnergyKwh: number;
  /** Energy missing at departure, summed over all stays so far. */
  readonly totalUnmetEnergyKwh: number;
  /**
   * State of charge at the end of the last step while plugged in, %, on the model's assumption that a
   * stay's energy need is what fills the battery: 100 × (1 − remaining / capacity). Null while away: the
   * model does not follow the car on the road.
   */
  readonly stateOfChargePct: number | null;
  /** Replace the routine's stay by a given one (scenario events, tests). */
  setSession(session: EvSession): void;
}

class CommuterEv implements EvAgent {
  readonly kind = 'ev' as const;
  remainingEnergyKwh = 0;
  totalUnmetEnergyKwh = 0;
  private session: EvSession | null = null;
  private sessionDay = Number.NaN;
  private chargeKw = 0;
  private lastPowerKw = 0;
  private unmetAtLastDepartureKwh = 0;
  private pluggedIn = false;

  constructor(
    readonly id: string,
    readonly params: EvParams,
    readonly mode: ControlMode,
  ) {}

  get stateOfChargePct(): number | null {
    if (!this.pluggedIn) return null;
    const fraction = 1 - this.remainingEnergyKwh / this.params.batteryCapacityKwh;
    return 100 * Math.min(1, Math.max(0, fraction));
  }

  setSession(session: EvSession): void {
    this.session = session;
    this.sessionDay = Number.POSITIVE_INFINITY; // never replaced by the routine until it ends
    this.remainingEnergyKwh = session.energyNeededKwh;
  }

  /** Make `session` the stay in progress or next to come at `timeMs`. */
  private refreshSession(timeMs: number): void {
    if (this.session !== null && timeMs < this.session.departureMs) return;
    const today = localDayIndex(timeMs, this.params.utcOffsetHours);
    for (const day of [today - 1, today]) {
      if (day <= this.sessionDay && this.session !== null) continue;
      const candidate = evSessionForDay(this.params, day);
      if (timeMs < candidate.departureMs) {
        this.session = candidate;
        this.sessionDay = day;
        this.remainingEnergyKwh = candidate.energyNeededKwh;
        return;
      }
    }
  }

  private isPlugged(timeMs: number): boolean {
    return this.session !== null && timeMs >= this.session.arrivalMs && timeMs < this.session.departureMs;
  }

  bid(signal: MarketSignal): readonly DerBid[] {
    if (this.mode === 'baseline') return [];
    const startMs = signal.slot.startMs;
    this.refreshSession(startMs);
    const s = this.session;
    if (s === null || this.remainingEnergyKwh <= 1e-9) return [];
    if (s.arrivalMs >= signal.slot.endMs || s.departureMs <= startMs) return [];
    const p = this.params;
    const slotHours = slotDurationHours(signal.slot);
    const plugFromMs = Math.max(startMs, s.arrivalMs);
    const hoursLeft = (s.departureMs - plugFromMs) / 3_600_000;
    const urgency = this.remainingEnergyKwh / (hoursLeft * p.chargerKw * p.chargingEfficiency);
    const pluggedShare =
      (Math.min(signal.slot.endMs, s.departureMs) - plugFromMs) / (signal.slot.endMs - startMs);
    const powerKw =
      Math.min(p.chargerKw, this.remainingEnergyKwh / p.chargingEfficiency / slotHours) * pluggedShare;
    // Must run if skipping this slot would leave too little time: urgency ≥ 1 counted after this slot.
    const hoursAfterSlot = Math.max(0, hoursLeft - slotHours * pluggedShare);
    const mustRun = this.remainingEnergyKwh >= hoursAfterSlot * p.chargerKw * p.chargingEfficiency - 1e-9;
    let price: number;
    if (urgency >= 1 || mustRun) price = signal.priceCapPerKwh;
    else {
      const slotsLeft = Math.max(1, Math.ceil(hoursLeft / slotHours));
      const q = quantile(signal.forecastPricesPerKwh, urgency, slotsLeft);
      price = Number.isNaN(q) ? signal.meanPricePerKwh + 2 * signal.stdevPricePerKwh * (2 * urgency - 1) : q;
    }
    const forecast = signal.premisesForecast?.(this.id) ?? null;
    const hoursNeeded = this.remainingEnergyKwh / (p.chargerKw * p.chargingEfficiency);
    if (
      forecast !== null &&
      price < signal.priceCapPerKwh &&
      evSkipsHomePeak(forecast, hoursLeft, hoursNeeded)
    ) {
      const lowest = quantile(signal.forecastPricesPerKwh, 0, Math.max(1, Math.ceil(hoursLeft / slotHours)));
      if (!Number.isNaN(lowest)) price = Math.min(price, lowest);
    }
    price = Math.min(signal.priceCapPerKwh, price);
    return powerKw > 1e-9 ? [{ side: 'buy', pricePerKwh: price, powerKw }] : [];
  }

  dispatch(outcome: SlotOutcome): void {
    this.chargeKw =
      this.mode === 'baseline'
        ? this.params.chargerKw
        : Math.max(0, Math.min(this.params.chargerKw, outcome.awardedKw));
  }

  step(_weather: WeatherSnapshot, timeMs: number, durationS: number): number {
    const p = this.params;
    const endMs = timeMs + durationS * 1000;
    this.unmetAtLastDepartureKwh = 0;
    this.refreshSession(timeMs);
    let energyKwh = 0;
    const s = this.session;
    if (s !== null) {
      const fromMs = Math.max(timeMs, s.arrivalMs);
      const toMs = Math.min(endMs, s.departureMs);
      if (toMs > fromMs && this.remainingEnergyKwh > 0) {
        const powerKw = this.mode === 'baseline' ? p.chargerKw : this.chargeKw;
        const hours = (toMs - fromMs) / 3_600_000;
        energyKwh = Math.min(powerKw * hours, this.remainingEnergyKwh / p.chargingEfficiency);
        this.remainingEnergyKwh = Math.max(0, this.remainingEnergyKwh - energyKwh * p.chargingEfficiency);
      }
      if (endMs >= s.departureMs) {
        this.unmetAtLastDepartureKwh = this.remainingEnergyKwh;
        this.totalUnmetEnergyKwh += this.remainingEnergyKwh;
        this.remainingEnergyKwh = 0;
        this.session = null;
        if (this.sessionDay === Number.POSITIVE_INFINITY)
          this.sessionDay = localDayIndex(endMs, p.utcOffsetHours) - 1;
        this.refreshSession(endMs);
      }
    }
    this.pluggedIn = this.isPlugged(endMs);
    this.lastPowerKw = energyKwh / (durationS / 3600);
    return this.lastPowerKw;
  }

  observe(): DerObservation {
    return {
      powerKw: this.lastPowerKw,
      unmetEnergyKwh: this.unmetAtLastDepartureKwh,
      pluggedIn: this.pluggedIn,
    };
  }
}

/** Creates an EV agent; throws TE_ERR_DER_PARAMETER for invalid parameters. */
export function createEv(id: string, params: EvParams, mode: ControlMode): EvAgent {
  throwIfInvalid(validateEvParams(params));
  return new CommuterEv(id, params, mode);
}
