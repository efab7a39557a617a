/**
 * Every clearing mechanism tenet offers, by name: what a scenario's `market.mechanism` selects and what
 * the contract suite runs against. Add a mechanism here and it is tested by the contract suite.
 */
import type { ClearingMechanism } from './clearing-mechanism.js';
import { aggregatorMechanism } from '../aggregator/aggregator-mechanism.js';
import { uniformPriceAuction } from './uniform-price-mechanism.js';
import { powerMatcherCurve } from '../curves/powermatcher-mechanism.js';
import { continuousDoubleAuction } from '../continuous/continuous-double-auction.js';
import { payAsBidAuction } from '../pay-as-bid/pay-as-bid-auction.js';
import { p2pBilateral } from '../p2p/p2p-bilateral.js';
import { payAsClear } from '../pay-as-clear/pay-as-clear-mechanism.js';

export const MECHANISMS = [
  uniformPriceAuction,
  powerMatcherCurve,
  continuousDoubleAuction,
  payAsBidAuction,
  p2pBilateral,
  payAsClear,
  // A small fixed portfolio: participants 0–9 bid through aggregator participant 1000 at 0.005 per kWh.
  aggregatorMechanism(uniformPriceAuction, {
    members: (p) => p >= 0 && p <= 9,
    aggregatorParticipant: 1000,
    marginPerKwh: 0.005,
  }),
] as const satisfies readonly ClearingMechanism[];

export type MechanismName = (typeof MECHANISMS)[number]['name'];

export function mechanismNamed(name: string): ClearingMechanism | undefined {
  return MECHANISMS.find((m) => m.name === name);
}
