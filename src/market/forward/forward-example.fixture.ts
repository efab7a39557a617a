/**
 * The worked example of docs/designs/forward-tenders.md: one hour, 14:00–15:00 UTC on 1 July 2025, two
 * homes buying and a solar plant and a battery selling, cleared day-ahead; then the 14:00–14:15 real-time
 * slot settled at 0.25 USD/kWh.
 */
import { MS_PER_HOUR, MS_PER_MINUTE } from '../../core/time.js';
import type { Tender } from './tender.js';

export const HOUR_START_MS = Date.UTC(2025, 6, 1, 14);
export const INTERVAL = { startMs: HOUR_START_MS, endMs: HOUR_START_MS + MS_PER_HOUR };
/** Day-ahead gate closure: 10:00 UTC on 30 June. */
export const GATE_CLOSURE_MS = Date.UTC(2025, 5, 30, 10);
export const FIRST_QUARTER = { startMs: HOUR_START_MS, endMs: HOUR_START_MS + 15 * MS_PER_MINUTE };

function tender(tenderId: string, party: string, side: 'buy' | 'sell', powerKw: number, pricePerKwh: number) {
  return { tenderId, party, side, powerKw, pricePerKwh, interval: INTERVAL, expiresMs: GATE_CLOSURE_MS + 1 };
}

export const EXAMPLE_TENDERS: readonly Tender[] = [
  tender('t-home-a', 'home-a', 'buy', 4, 0.3),
  tender('t-home-b', 'home-b', 'buy', 3, 0.22),
  tender('t-solar-s', 'solar-s', 'sell', 5, 0.1),
  tender('t-battery-k', 'battery-k', 'sell', 4, 0.2),
];

export const EXAMPLE_MARKET = {
  intervalMs: MS_PER_HOUR,
  gateClosureMs: GATE_CLOSURE_MS,
  priceCap: 1,
  bidOffset: 0.0001,
};

/** Metered kWh in the first quarter hour: home-b uses a little more, the solar plant less (a cloud),
 * the battery covers the difference. */
export const EXAMPLE_METERED_KWH = new Map([
  ['home-a', 1.0],
  ['home-b', 0.85],
  ['solar-s', -0.95],
  ['battery-k', -0.9],
]);
