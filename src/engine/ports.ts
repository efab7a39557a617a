/**
 * What the engine needs from the world, as interfaces. Composition roots (the CLI, later the server)
 * choose implementations: simulated devices and a virtual clock, or protocol gateways and the wall clock.
 */
import type { TimeSlot } from '../core/time.js';
import type { DerAgent, DerBid, WeatherSnapshot } from '../der/types.js';
import type { ClearingOutcome, ColumnarBook } from '../market/types.js';

/** Clears one slot's columnar book (the uniform-price double auction, or another mechanism). */
export type ClearBook = (book: ColumnarBook) => ClearingOutcome;

/** The wholesale side at the substation: what it offers for a slot. */
export interface WholesaleSupplier {
  offerForSlot(slot: TimeSlot): DerBid;
}

/** Conditions at a time, frozen for whoever reads them. */
export interface WeatherSource {
  snapshotAt(timeMs: number): WeatherSnapshot;
}

/** A metered premises and the devices behind its meter. */
export interface Premises {
  readonly id: string;
  /** Participant classes the premises belongs to, for per-class KPIs (e.g. 'pv', 'hvac-transactive'). */
  readonly classes: readonly string[];
  readonly devices: readonly DerAgent[];
}
