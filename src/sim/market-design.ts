/**
 * The market design a scenario selects: its clearing mechanism from the registry, by name, and, when the
 * scenario has an aggregator, that mechanism behind an aggregator portfolio of a seeded share of homes.
 * The schema only admits registered names, so a lookup cannot miss.
 */
import { TeError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import { aggregatorMechanism } from '../market/aggregator/aggregator-mechanism.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { mechanismNamed } from '../market/mechanism/mechanism-registry.js';
import type { Scenario } from './scenario/parse-scenario.js';

/** Participant index of the aggregator: past the homes and the engine's two parties (supplier, unresponsive load). */
export const aggregatorParticipant = (homes: number): number => homes + 2;

export function marketMechanism(
  scenario: Pick<Scenario, 'market' | 'population' | 'seed'>,
): ClearingMechanism {
  const mechanism = mechanismNamed(scenario.market.mechanism);
  if (mechanism === undefined) {
    throw new TeError('TE_ERR_SCENARIO', `no market mechanism named '${scenario.market.mechanism}'`, {
      path: 'market.mechanism',
    });
  }
  const aggregator = scenario.market.aggregator;
  if (aggregator === undefined || aggregator.share === 0) return mechanism;
  const homes = scenario.population.homes;
  const members = new SeededRandom(scenario.seed)
    .fork(0xa99)
    .shuffle(Array.from({ length: homes }, (_, p) => p))
    .slice(0, Math.round(aggregator.share * homes));
  return aggregatorMechanism(mechanism, {
    members,
    aggregatorParticipant: aggregatorParticipant(homes),
    marginPerKwh: aggregator.marginPerKwh,
  });
}
