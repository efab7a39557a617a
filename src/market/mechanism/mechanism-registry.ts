/**
 * Every clearing mechanism a scenario can select by name (`market.mechanism`), and what the contract
 * suite runs against. Add a mechanism here and it is tested by the contract suite. Mechanisms that need
 * something built at run time (grid-aware clearing needs an LP solver; an aggregator needs its portfolio)
 * are composed by the caller from these (see src/sim/market-design.ts).
 */
import { continuousDoubleAuction } from '../continuous/continuous-double-auction.js';
import { powerMatcherCurve } from '../curves/powermatcher-mechanism.js';
import { p2pBilateral } from '../p2p/p2p-bilateral.js';
import { payAsBidAuction } from '../pay-as-bid/pay-as-bid-auction.js';
import { payAsClear } from '../pay-as-clear/pay-as-clear-mechanism.js';
import type { ClearingMechanism } from './clearing-mechanism.js';
import { uniformPriceAuction } from './uniform-price-mechanism.js';

export const MECHANISMS = [
  uniformPriceAuction,
  powerMatcherCurve,
  continuousDoubleAuction,
  payAsBidAuction,
  p2pBilateral,
  payAsClear,
] as const satisfies readonly ClearingMechanism[];

export type MechanismName = (typeof MECHANISMS)[number]['name'];

export function mechanismNamed(name: string): ClearingMechanism | undefined {
  return MECHANISMS.find((m) => m.name === name);
}
