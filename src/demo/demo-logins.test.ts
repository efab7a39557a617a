import { describe, expect, it } from 'vitest';
import type { Premises } from '../engine/ports.js';
import { DEMO_AGGREGATOR_ID, demoAggregatorOf, demoProsumer } from './demo-logins.js';
import type { RegisteredHome } from './home-registration.js';

const home = (id: string, kinds: string[]): Premises =>
  ({ id, classes: [], devices: kinds.map((kind) => ({ id: `${id}.${kind}`, kind })) }) as unknown as Premises;
const registered = (homeIndex: number): RegisteredHome => ({
  homeIndex,
  participantId: `h${homeIndex}`,
  credentials: { clientId: `c${homeIndex}`, clientSecret: 's' },
});

describe('demo logins', () => {
  it('gives every tenth home to the demo aggregator', () => {
    const aggregated = Array.from({ length: 300 }, (_, i) => demoAggregatorOf(i)).filter(
      (id) => id === DEMO_AGGREGATOR_ID,
    );
    expect(aggregated).toHaveLength(30);
    expect(demoAggregatorOf(0)).toBe(DEMO_AGGREGATOR_ID);
    expect(demoAggregatorOf(1)).toBeUndefined();
  });

  it('picks the first registered home with PV and a battery as the prosumer, else one with PV', () => {
    const premises = [
      home('a', ['hvac']),
      home('b', ['pv']),
      home('c', ['pv', 'battery']),
      home('d', ['pv', 'battery']),
    ];
    expect(demoProsumer(premises, [0, 1, 2, 3].map(registered))?.participantId).toBe('h2');
    // A home that failed to register is passed over.
    expect(demoProsumer(premises, [0, 1, 3].map(registered))?.participantId).toBe('h3');
    expect(demoProsumer(premises, [0, 1].map(registered))?.participantId).toBe('h1');
    expect(demoProsumer(premises, [0].map(registered))?.participantId).toBe('h0');
    expect(demoProsumer(premises, [])).toBeUndefined();
  });
});
