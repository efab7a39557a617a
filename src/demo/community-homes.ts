/**
 * The demo's homes: the scenario's community built exactly as `tenet simulate` builds its market run
 * (same seed, same placement, same device parameters), the first `homes` of it, driven by the engine's
 * transactive cycle phase by phase. Each home bids its own must-run load, since in the live market it
 * is a participant settled in its own name.
 */
import { TeError } from '../core/errors.js';
import { USD } from '../core/money.js';
import { err } from '../core/result.js';
import { SeededRandom } from '../core/random.js';
import { MS_PER_DAY, MS_PER_HOUR } from '../core/time.js';
import { createSubstationSupplier, type SubstationSupplier } from '../der/substation-supplier.js';
import type { Premises, WeatherSource } from '../engine/ports.js';
import { PriceStatistics } from '../engine/price-statistics.js';
import { TransactiveCycle } from '../engine/transactive-cycle.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { buildPopulation } from '../sim/population.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { meanAndStdev, wholesaleForecast } from '../sim/wholesale-prices.js';

export interface CommunityHomes {
  readonly premises: readonly Premises[];
  readonly cycle: TransactiveCycle;
  readonly supplier: SubstationSupplier;
  /** The recent clearing prices the devices bid against (their mean is what a device expected). */
  readonly priceStatistics: PriceStatistics;
}

/** The cycle never clears here: the live market does, through the API. */
const CLEARS_ELSEWHERE: ClearingMechanism = {
  name: 'live-market',
  guarantees: { uniformPrice: false, orderIndependent: false },
  clear: () => err(new TeError('TE_ERR_INTERNAL', 'the demo community does not clear: the live market does')),
};

export interface CommunityHomesOptions {
  /** The first this many homes of the scenario's community (default: all). */
  readonly homes?: number;
  /** Who bids for load that does not bid: each home (live, default) or the engine (the simulator's way). */
  readonly unresponsiveBidder?: 'engine' | 'premises';
  /** The mechanism for an in-process clearing (tests comparing with the simulator); default none. */
  readonly mechanism?: ClearingMechanism;
}

export function buildCommunityHomes(scenario: Scenario, options: CommunityHomesOptions = {}): CommunityHomes {
  const all = buildPopulation(scenario, new SeededRandom(scenario.seed), 'te');
  const premises = options.homes === undefined ? all : all.slice(0, Math.max(0, options.homes));
  const supplier = createSubstationSupplier({
    feederCapacityKw: scenario.wholesale.substationCapacityKw,
    wholesalePricePerKwhByHour: scenario.wholesale.pricePerKwhByHour,
    utcOffsetHours: scenario.utcOffsetMinutes / 60,
  });
  const market = scenario.market;
  const prior = meanAndStdev(scenario.wholesale.pricePerKwhByHour);
  const windowSlots = Math.round((market.priceStatisticsWindowHours * MS_PER_HOUR) / scenario.marketPeriodMs);
  const priceStatistics = new PriceStatistics(
    windowSlots,
    market.initialPriceMeanPerKwh ?? prior.mean,
    market.initialPriceStdevPerKwh ?? prior.stdev,
  );
  // The market run's configuration in src/sim/run-simulation.ts, less what the live market does not
  // have (feeder envelopes, grid areas, day-ahead positions).
  const cycle = new TransactiveCycle(premises, {
    mode: 'transactive',
    unresponsiveBidder: options.unresponsiveBidder ?? 'premises',
    priceCapPerKwh: market.priceCapPerKwh,
    bidOffsetPerKwh: market.bidOffsetPerKwh,
    mustRunPricePerKwh: market.mustRunPricePerKwh ?? market.priceCapPerKwh,
    mustRunValuePerKwh: scenario.retail.fixedTariffPerKwh,
    mechanism: options.mechanism ?? CLEARS_ELSEWHERE,
    supplier,
    tariff: { kind: 'real-time', distributionChargePerKwh: scenario.retail.distributionChargePerKwh },
    currency: USD,
    priceStatistics,
    forecastPricesPerKwh: (slot) => wholesaleForecast(supplier, slot, MS_PER_DAY),
  });
  return { premises, cycle, supplier, priceStatistics };
}

/** Weather for bidding (at the slot's start, what the agents see) and for stepping (mid-slot). */
export function slotWeather(weather: WeatherSource, slot: { startMs: number; endMs: number }) {
  return {
    snapshot: weather.snapshotAt(slot.startMs),
    during: weather.snapshotAt((slot.startMs + slot.endMs) / 2),
  };
}
