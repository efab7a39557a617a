/**
 * The market design a scenario selects: its clearing mechanism from the registry, by name. The schema
 * only admits registered names, so a lookup cannot miss.
 */
import { TeError } from '../core/errors.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { mechanismNamed } from '../market/mechanism/mechanism-registry.js';
import type { Scenario } from './scenario/parse-scenario.js';

export function marketMechanism(scenario: Pick<Scenario, 'market'>): ClearingMechanism {
  const mechanism = mechanismNamed(scenario.market.mechanism);
  if (mechanism === undefined) {
    throw new TeError('TE_ERR_SCENARIO', `no market mechanism named '${scenario.market.mechanism}'`, {
      path: 'market.mechanism',
    });
  }
  return mechanism;
}
