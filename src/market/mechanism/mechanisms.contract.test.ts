/** The contract suite (mechanism-contract.ts) against every mechanism in the registry, and composed ones. */
import { aggregatorMechanism } from '../aggregator/aggregator-mechanism.js';
import { MECHANISMS } from './mechanism-registry.js';
import { describeMechanismContract } from './mechanism-contract.js';
import { uniformPriceAuction } from './uniform-price-mechanism.js';

for (const mechanism of MECHANISMS) describeMechanismContract(mechanism);

// An aggregator decorates any mechanism: participants 0–9 bid through participant 1000 at 0.005 per kWh.
for (const inner of [uniformPriceAuction, MECHANISMS[3]]) {
  describeMechanismContract(
    aggregatorMechanism(inner, {
      members: (p) => p >= 0 && p <= 9,
      aggregatorParticipant: 1000,
      marginPerKwh: 0.005,
    }),
  );
}
