/**
 * A small feeder for the grid monitor's tests: a 4.16 kV source S, a rated trunk S–A (400 A) and a
 * weaker rated lateral A–B (100 A), three phases each, with coordinates. Three participants: p1 on A.a,
 * p2 and p3 on B.b and B.c. Loads of a few tens of kW keep it in range; a few hundred kW on B overload the
 * lateral and pull B below 0.95 pu; tens of MW make the power flow fail.
 */
import { symmetricPhaseMatrix, ZERO_PHASE_MATRIX, type Line, type Network } from '../../grid/network.js';
import type { GridConnection } from './grid-state.js';

const PHASES = ['a', 'b', 'c'] as const;

function line(name: string, from: string, to: string, ratingA: number, scale: number): Line {
  return {
    name,
    from,
    to,
    phases: PHASES,
    seriesImpedanceOhm: symmetricPhaseMatrix(
      [0.4 * scale, 0.1 * scale, 0.1 * scale, 0.4 * scale, 0.1 * scale, 0.4 * scale],
      [0.9 * scale, 0.3 * scale, 0.3 * scale, 0.9 * scale, 0.3 * scale, 0.9 * scale],
    ),
    shuntAdmittanceS: ZERO_PHASE_MATRIX,
    ratingA,
  };
}

export const TEST_FEEDER: Network = {
  name: 'test-3-bus',
  buses: [
    { name: 'S', phases: PHASES, x: 0, y: 0 },
    { name: 'A', phases: PHASES, x: 0, y: -100 },
    { name: 'B', phases: PHASES, x: 50, y: -200 },
  ],
  lines: [line('S-A', 'S', 'A', 400, 1), line('A-B', 'A', 'B', 100, 1)],
  transformers: [],
  regulators: [],
  switches: [],
  loads: [],
  distributedLoads: [],
  capacitors: [],
  injections: [],
  source: { bus: 'S', kvLL: 4.16 },
};

export const TEST_CONNECTIONS: readonly GridConnection[] = [
  { participantId: 'p1', bus: 'A', phase: 'a' },
  { participantId: 'p2', bus: 'B', phase: 'b' },
  { participantId: 'p3', bus: 'B', phase: 'c' },
];
