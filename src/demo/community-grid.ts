/**
 * The demo's feeder for the live grid monitor: the scenario's feeder with its homes where the simulator
 * puts them (same seed, same placement stream), each home as the participant the community registers
 * for it, and the scenario's substation capacity.
 */
import { SeededRandom } from '../core/random.js';
import type { Network } from '../grid/network.js';
import type { PlatformGridOptions } from '../live/grid/platform-grid.js';
import { scenarioHomePlacement } from '../sim/feeder/home-placement.js';
import { buildPopulation } from '../sim/population.js';
import type { Scenario } from '../sim/scenario/parse-scenario.js';
import { apiIdFor } from './home-registration.js';

/** Undefined when the scenario has no feeder. `homes` takes the first homes, as the community does. */
export function communityGrid(
  scenario: Scenario,
  feeder: Network | undefined,
  marketId: string,
  homes?: number,
): PlatformGridOptions | undefined {
  if (feeder === undefined || scenario.feeder === undefined) return undefined;
  const placement = scenarioHomePlacement(feeder, scenario.population.homes, scenario.seed);
  const premises = buildPopulation(scenario, new SeededRandom(scenario.seed), 'te');
  const count = Math.min(premises.length, homes ?? premises.length);
  return {
    network: feeder,
    connections: premises.slice(0, count).flatMap((home, k) => {
      const at = placement[k];
      return at === undefined ? [] : [{ participantId: apiIdFor(home.id), bus: at.bus, phase: at.phase }];
    }),
    marketId,
    substationCapacityKw: scenario.wholesale.substationCapacityKw,
    feederOptions: {
      backgroundLoadFactor: scenario.feeder.backgroundLoadFactor,
      regulators: scenario.feeder.regulators,
    },
  };
}
