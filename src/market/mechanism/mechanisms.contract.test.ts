/** The contract suite (mechanism-contract.ts) against every mechanism in the registry. */
import { MECHANISMS } from './mechanism-registry.js';
import { describeMechanismContract } from './mechanism-contract.js';

for (const mechanism of MECHANISMS) describeMechanismContract(mechanism);
