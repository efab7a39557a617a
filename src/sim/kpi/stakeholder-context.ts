/** What the stakeholder KPIs need to know of the scenario beyond the slot reports. */
import type { Scenario } from '../scenario/parse-scenario.js';
import { aggregatorMembers } from '../market-design.js';

export interface StakeholderContext {
  readonly utcOffsetMinutes: number;
  /** Wholesale price of each local hour 0..23 (the supplier's), currency per kWh. */
  readonly wholesalePricePerKwhByHour: readonly number[];
  /** Marginal CO2 emission factor of grid energy in each local hour 0..23, kg/kWh; absent: unknown. */
  readonly marginalEmissionsKgPerKwhByHour?: readonly number[];
  /** The aggregator's members (premises indices) and margin, when the market has one. */
  readonly aggregator?: { readonly memberPremises: readonly number[]; readonly marginPerKwh: number };
}

export function stakeholderContext(
  scenario: Pick<Scenario, 'utcOffsetMinutes' | 'wholesale' | 'market' | 'population' | 'seed'>,
): StakeholderContext {
  const { wholesale, market } = scenario;
  return {
    utcOffsetMinutes: scenario.utcOffsetMinutes,
    wholesalePricePerKwhByHour: wholesale.pricePerKwhByHour,
    ...(wholesale.marginalEmissionsKgPerKwhByHour === undefined
      ? {}
      : { marginalEmissionsKgPerKwhByHour: wholesale.marginalEmissionsKgPerKwhByHour }),
    ...(market.aggregator === undefined || market.aggregator.share === 0
      ? {}
      : {
          aggregator: {
            memberPremises: aggregatorMembers(scenario),
            marginPerKwh: market.aggregator.marginPerKwh,
          },
        }),
  };
}
