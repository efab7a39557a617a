/**
 * The CSMS with its market side: charging needs bid into the market (charging-bids.ts) and cleared
 * schedules sent back as charging profiles (charging-profiles.ts). The live platform starts one; it is
 * also what the API's station routes see.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import type { MarketEventBus } from '../live/market-events.js';
import type { StoreSchema } from '../store/schema.js';
import { startChargingBids, type ChargingBids } from './charging-bids.js';
import { startChargingProfiles, type ChargingProfiles } from './charging-profiles.js';
import { createCsms, type Csms, type CsmsOptions } from './csms.js';

export interface OcppServiceOptions extends CsmsOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly events: MarketEventBus;
  /** The market EV needs bid in and profiles come from (default: the first market by id). */
  readonly marketId?: string;
}

export interface OcppService extends Csms {
  readonly chargingBids: ChargingBids;
  readonly chargingProfiles: ChargingProfiles;
}

export function startOcppService(options: OcppServiceOptions): OcppService {
  const csms = createCsms(options);
  const market = options.marketId === undefined ? {} : { marketId: options.marketId };
  const chargingBids = startChargingBids({
    db: options.db,
    clock: options.clock,
    events: options.events,
    onChargingNeed: (listener) => csms.onChargingNeed(listener),
    onError: (error) => options.log(`OCPP charging bids: ${String(error)}`),
    ...market,
  });
  const chargingProfiles = startChargingProfiles({
    db: options.db,
    clock: options.clock,
    events: options.events,
    csms,
    log: options.log,
    ...market,
  });
  return {
    ...csms,
    chargingBids,
    chargingProfiles,
    async close() {
      await chargingBids.close();
      await chargingProfiles.close();
      await csms.close();
    },
  };
}
