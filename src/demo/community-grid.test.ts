import { describe, expect, it } from 'vitest';
import { scenarioHomePlacement } from '../sim/feeder/home-placement.js';
import { defaultScenario, ieee13Feeder } from '../sim/test-scenario.fixture.js';
import { communityGrid } from './community-grid.js';

describe("the demo's live feeder", () => {
  it('puts the first homes where the simulator puts them, as the participants the community registers', () => {
    const scenario = defaultScenario();
    const feeder = ieee13Feeder();
    const grid = communityGrid(scenario, feeder, 'community', 20);
    const placement = scenarioHomePlacement(feeder, scenario.population.homes, scenario.seed);
    expect(grid?.connections).toHaveLength(20);
    expect(grid?.connections[0]).toEqual({
      participantId: 'home-001',
      bus: placement[0]?.bus,
      phase: placement[0]?.phase,
    });
    expect(grid?.connections.map((c) => c.bus)).toEqual(placement.slice(0, 20).map((c) => c.bus));
    expect(grid).toMatchObject({ marketId: 'community', substationCapacityKw: 1500 });
    expect(communityGrid(scenario, feeder, 'community')?.connections).toHaveLength(300);
    expect(communityGrid(scenario, undefined, 'community')).toBeUndefined();
  });
});
