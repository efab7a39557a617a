/**
 * The live market's rules for a scenario, so the demo's market clears as `tenet simulate` would: the
 * scenario's market period, price cap and bid offset, and a wholesale supplier at the substation offering
 * its capacity at the scenario's hourly wholesale prices.
 */
import { MS_PER_HOUR } from '../core/time.js';
import { DEFAULT_MARKET_RULES, MECHANISM_NAMES, type MarketRules } from '../live/market-rules.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';

export const SUBSTATION_SUPPLIER_ID = 'substation';

export interface ScenarioMarketRules {
  readonly rules: MarketRules;
  /** Why the rules differ from the scenario, for the log (a design the live market has not). */
  readonly notes: readonly string[];
  /**
   * Whether the hourly prices could be written as the rules' UTC hours; when false (an offset that is
   * not whole hours), the supplier's price must be set slot by slot (`supplierRulesForSlot`).
   */
  readonly hourlyByUtc: boolean;
}

export function scenarioMarketRules(scenario: Scenario): ScenarioMarketRules {
  const notes: string[] = [];
  const design = scenario.market.mechanism;
  const mechanism = (MECHANISM_NAMES as readonly string[]).includes(design)
    ? (design as MarketRules['mechanism'])
    : DEFAULT_MARKET_RULES.mechanism;
  if (mechanism !== design) {
    notes.push(`the live market has no '${design}' design; it clears with ${mechanism}`);
  }
  const fees = scenario.market.gridFees;
  const hourlyByUtc = scenario.utcOffsetMinutes % 60 === 0;
  const prices = scenario.wholesale.pricePerKwhByHour;
  const rules: MarketRules = {
    ...DEFAULT_MARKET_RULES,
    mechanism,
    slotDurationMs: scenario.marketPeriodMs,
    // Homes bid for a slot from their state at its start, which they know once the slot before has been
    // stepped: the gate closes at the slot's start, as in the simulator.
    gateClosureLeadMs: 0,
    orderHorizonSlots: 2,
    priceCapPerKwh: scenario.market.priceCapPerKwh,
    bidOffsetPerKwh: scenario.market.bidOffsetPerKwh,
    supplier: {
      id: SUBSTATION_SUPPLIER_ID,
      capacityKw: scenario.wholesale.substationCapacityKw,
      pricePerKwh: prices[localHour(scenario.startMs, scenario)] ?? 0,
      ...(hourlyByUtc ? { hourlyPricePerKwh: utcHourlyPrices(scenario) } : {}),
    },
    // A supply trade crosses every area the simulator charges for; the live market has one flat fee.
    gridFeePerKwh: fees.gridPerKwh + fees.substationPerKwh + fees.localPerKwh,
    distributionChargePerKwh: scenario.retail.distributionChargePerKwh,
    aggregatorMarginPerKwh: scenario.market.aggregator?.marginPerKwh ?? 0,
    // Readings are posted as each slot ends; one more period leaves room for stragglers.
    settlementDelayMs: scenario.marketPeriodMs,
  };
  if (scenario.feeder !== undefined) {
    notes.push(
      'the platform solves the feeder after each settled slot (GET /api/grid/state), but the live market does not apply its operating envelopes; one grid fee',
    );
  }
  if (scenario.market.dayAheadPositions) notes.push('the live market has no day-ahead positions');
  return { rules, notes, hourlyByUtc };
}

/** The rules with the supplier's flat price set for the slot (for offsets that are not whole hours). */
export function supplierRulesForSlot(
  rules: MarketRules,
  scenario: Scenario,
  slotStartMs: number,
): MarketRules {
  if (rules.supplier === undefined) return rules;
  const price = scenario.wholesale.pricePerKwhByHour[localHour(slotStartMs, scenario)] ?? 0;
  return { ...rules, supplier: { ...rules.supplier, pricePerKwh: price } };
}

/** The scenario's local-hour prices indexed by UTC hour, as the rules' supplier reads them. */
function utcHourlyPrices(scenario: Scenario): number[] {
  const offsetHours = scenario.utcOffsetMinutes / 60;
  const prices = scenario.wholesale.pricePerKwhByHour;
  return Array.from({ length: 24 }, (_, utcHour) => prices[(((utcHour + offsetHours) % 24) + 24) % 24] ?? 0);
}

function localHour(timeMs: number, scenario: Pick<Scenario, 'utcOffsetMinutes'>): number {
  const localMs = timeMs + scenario.utcOffsetMinutes * 60_000;
  return Math.floor((((localMs % 86_400_000) + 86_400_000) % 86_400_000) / MS_PER_HOUR);
}
