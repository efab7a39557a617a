/**
 * The market design a scenario selects: its clearing mechanism by name — from the registry, or
 * grid-aware clearing, which needs a linear-program solver the composition root loads — and, when the
 * scenario has an aggregator, that mechanism behind an aggregator portfolio of a seeded share of homes.
 */
import { TeError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import { aggregatorMechanism } from '../market/aggregator/aggregator-mechanism.js';
import { gridAwareAuction } from '../market/grid-aware/grid-aware-auction.js';
import type { LpSolver } from '../market/grid-aware/linear-program.js';
import type { ClearingMechanism } from '../market/mechanism/clearing-mechanism.js';
import { MECHANISMS, mechanismNamed, type MechanismName } from '../market/mechanism/mechanism-registry.js';
import type { Scenario } from './scenario/parse-scenario.js';

export const GRID_AWARE_DESIGN = 'grid-aware-auction';

export type MarketDesignName = MechanismName | typeof GRID_AWARE_DESIGN;

/** Every name `market.mechanism` accepts. */
export const MARKET_DESIGN_NAMES: readonly MarketDesignName[] = [
  ...MECHANISMS.map((m) => m.name),
  GRID_AWARE_DESIGN,
];

/** Participant index of the aggregator: past the homes and the engine's two parties (supplier, unresponsive load). */
export const aggregatorParticipant = (homes: number): number => homes + 2;

export function needsLpSolver(scenario: Pick<Scenario, 'market'>): boolean {
  return scenario.market.mechanism === GRID_AWARE_DESIGN;
}

export function marketMechanism(
  scenario: Pick<Scenario, 'market' | 'population' | 'seed'>,
  dependencies: { readonly lpSolver?: LpSolver } = {},
): ClearingMechanism {
  const mechanism = designMechanism(scenario.market.mechanism, dependencies);
  const aggregator = scenario.market.aggregator;
  if (aggregator === undefined || aggregator.share === 0) return mechanism;
  return aggregatorMechanism(mechanism, {
    members: aggregatorMembers(scenario),
    aggregatorParticipant: aggregatorParticipant(scenario.population.homes),
    marginPerKwh: aggregator.marginPerKwh,
  });
}

/** The premises (by index) that bid through the scenario's aggregator, drawn from the seed; [] without one. */
export function aggregatorMembers(scenario: Pick<Scenario, 'market' | 'population' | 'seed'>): number[] {
  const share = scenario.market.aggregator?.share ?? 0;
  const homes = scenario.population.homes;
  return new SeededRandom(scenario.seed)
    .fork(0xa99)
    .shuffle(Array.from({ length: homes }, (_, p) => p))
    .slice(0, Math.round(share * homes));
}

function designMechanism(name: string, dependencies: { readonly lpSolver?: LpSolver }): ClearingMechanism {
  if (name === GRID_AWARE_DESIGN) {
    if (dependencies.lpSolver === undefined) {
      throw new TeError('TE_ERR_INTERNAL', 'grid-aware clearing needs an LP solver and none was loaded');
    }
    return gridAwareAuction(dependencies.lpSolver);
  }
  const mechanism = mechanismNamed(name);
  if (mechanism === undefined) {
    throw new TeError('TE_ERR_SCENARIO', `no market mechanism named '${name}'`, { path: 'market.mechanism' });
  }
  return mechanism;
}
