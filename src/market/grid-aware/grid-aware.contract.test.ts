/**
 * The mechanism contract against the grid-aware auction on HiGHS: in the registry's context (no limits,
 * so the auction's result stands) and in one where feeder capacities and envelopes bind, so the LP's
 * dispatch and congestion prices are held to the same rules.
 */
import { createHighsLpSolver } from '../../engine/highs-lp-solver.js';
import { areaTree } from '../mechanism/area-tree.js';
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { CONTRACT_CONTEXT, describeMechanismContract } from '../mechanism/mechanism-contract.js';
import { gridAwareAuction } from './grid-aware-auction.js';

const mechanism = gridAwareAuction(await createHighsLpSolver());
// The contract's books put participants 0–20 on feeder-1 and feeder-2 with up to 50 kW per row.
const PARTICIPANTS = 21;
const LIMITED: ClearingContext = {
  ...CONTRACT_CONTEXT,
  areas: areaTree([
    { name: 'grid', parent: null, feePerKwh: 0.01 },
    { name: 'feeder-1', parent: 'grid', feePerKwh: 0.02, capacityKw: 15 },
    { name: 'feeder-2', parent: 'grid', feePerKwh: 0.015, capacityKw: 40 },
  ]),
  envelopes: {
    importKw: Float64Array.from({ length: PARTICIPANTS }, (_, p) => (p % 3 === 0 ? 10 : Infinity)),
    exportKw: Float64Array.from({ length: PARTICIPANTS }, (_, p) => (p % 4 === 1 ? 8 : Infinity)),
  },
};

describeMechanismContract(mechanism);
describeMechanismContract(mechanism, LIMITED, `clearing mechanism ${mechanism.name} with binding limits`);
