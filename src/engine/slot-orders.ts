/**
 * Gate closure: every transactive device's bids become rows of the slot's order table, cut to its
 * premises' operating envelope; devices that do not bid are counted as unresponsive demand at the cap
 * (from their last metered power, as GridLAB-D's auction does from the feeder measurement); the wholesale
 * supplier offers the substation capacity, first. Buffers are reused from slot to slot.
 */
import type { DerAgent, MarketSignal, WeatherSnapshot } from '../der/types.js';
import { OrderTableBuilder, type OrderTable } from '../market/mechanism/order-table.js';
import type { WholesaleSupplier } from './ports.js';

/** Row owner for rows the engine submits itself (supplier, unresponsive load). */
export const ENGINE_OWNER = -1;

export interface SlotOrderSources {
  readonly devices: readonly DerAgent[];
  readonly devicePremises: Int32Array;
  /** Last metered power of each device: the unresponsive estimate for devices that do not bid. */
  readonly deviceLoadKw: Float64Array;
  readonly supplier: WholesaleSupplier;
  readonly priceCapPerKwh: number;
  /** What must-run demand bids: device bids at the cap and the unresponsive load (see CycleConfig). */
  readonly mustRunPricePerKwh: number;
  /** Area of each premises in the market's area tree (absent: no areas). */
  readonly premisesArea?: Int32Array;
  /** Area of the supplier (the root of the tree, typically). */
  readonly supplierArea?: number;
  readonly envelopes?: { readonly importKw: Float64Array; readonly exportKw: Float64Array };
  /**
   * Who bids for the load of devices that do not bid: the engine, once for the whole community (the
   * simulator, default), or each premises for its own (the live market, where every home is a participant
   * and its must-run load settles in its own name).
   */
  readonly unresponsiveBidder?: 'engine' | 'premises';
}

export class SlotOrders {
  private readonly builder = new OrderTableBuilder();
  private owners = new Int32Array(1024);
  private mustRun = new Uint8Array(1024);
  /** Participant index of the supplier's row: one past the last premises. */
  readonly supplierParticipant: number;
  /** Participant index of the unresponsive load the engine bids for: a party of its own, not the supplier. */
  readonly unresponsiveParticipant: number;
  supplierRow = -1;
  /** Row of the engine's bid for unresponsive load, -1 when there was none. */
  unresponsiveRow = -1;
  private readonly premisesUnresponsiveKw: Float64Array;
  /**
   * The envelope of each premises whose buy (import) or sell (export) bids it cut at the last gate
   * closure, kW; NaN where it cut nothing. What the DSO's envelope-usage KPIs read.
   */
  readonly envelopeCut: { readonly importKw: Float64Array; readonly exportKw: Float64Array };

  constructor(premisesCount: number) {
    this.supplierParticipant = premisesCount;
    this.unresponsiveParticipant = premisesCount + 1;
    this.premisesUnresponsiveKw = new Float64Array(premisesCount);
    this.envelopeCut = {
      importKw: new Float64Array(premisesCount).fill(Number.NaN),
      exportKw: new Float64Array(premisesCount).fill(Number.NaN),
    };
  }

  /** Device index of each row of the last table (ENGINE_OWNER for engine rows). */
  get rowDevice(): Int32Array {
    return this.owners;
  }

  /** 1 for rows of must-run demand (whatever price they were bid at), which carry no surplus. */
  get rowMustRun(): Uint8Array {
    return this.mustRun;
  }

  collect(sources: SlotOrderSources, signal: MarketSignal, weather: WeatherSnapshot): OrderTable {
    const { devices, devicePremises, deviceLoadKw, premisesArea } = sources;
    this.builder.reset();
    this.unresponsiveRow = -1;
    // The supplier's standing offer goes first: in a continuous market an order that arrives before any
    // offer rests, and a market order (a must-run bid at the cap) that finds nothing is cancelled.
    const area = sources.supplierArea ?? -1;
    const offer = sources.supplier.offerForSlot(signal.slot);
    this.supplierRow = this.add(ENGINE_OWNER, false, {
      side: offer.side,
      price: offer.pricePerKwh,
      quantity: offer.powerKw,
      participant: this.supplierParticipant,
      area,
    });
    const headroom = envelopeHeadroom(sources);
    if (headroom !== null) {
      this.envelopeCut.importKw.fill(Number.NaN);
      this.envelopeCut.exportKw.fill(Number.NaN);
    }
    const perPremises = sources.unresponsiveBidder === 'premises';
    const premisesUnresponsiveKw = this.premisesUnresponsiveKw;
    premisesUnresponsiveKw.fill(0);
    let unresponsiveKw = 0;
    for (let d = 0; d < devices.length; d++) {
      const device = devices[d] as DerAgent;
      const p = devicePremises[d] ?? 0;
      if (device.mode === 'baseline') {
        if (perPremises)
          premisesUnresponsiveKw[p] = (premisesUnresponsiveKw[p] ?? 0) + (deviceLoadKw[d] ?? 0);
        else unresponsiveKw += deviceLoadKw[d] ?? 0;
        continue;
      }
      for (const bid of device.bid(signal, weather)) {
        let quantity = bid.powerKw;
        if (headroom !== null) {
          const room = bid.side === 'buy' ? headroom.importKw : headroom.exportKw;
          quantity = Math.max(0, Math.min(quantity, room[p] ?? 0));
          room[p] = (room[p] ?? 0) - quantity;
          if (quantity < bid.powerKw) this.recordEnvelopeCut(bid.side, p, sources.envelopes);
        }
        if (!(quantity > 0)) continue;
        const mustRun = bid.side === 'buy' && bid.pricePerKwh >= sources.priceCapPerKwh;
        this.add(d, mustRun, {
          side: bid.side,
          price: mustRun ? sources.mustRunPricePerKwh : bid.pricePerKwh,
          quantity,
          participant: p,
          area: premisesArea?.[p] ?? -1,
          green: device.kind === 'pv',
        });
      }
    }
    if (perPremises) this.addPremisesUnresponsive(sources);
    if (unresponsiveKw > 0) {
      this.unresponsiveRow = this.add(ENGINE_OWNER, true, {
        side: 'buy',
        price: sources.mustRunPricePerKwh,
        quantity: unresponsiveKw,
        participant: this.unresponsiveParticipant,
        area,
      });
    } else if (unresponsiveKw < 0) {
      this.add(ENGINE_OWNER, true, {
        side: 'sell',
        price: 0,
        quantity: -unresponsiveKw,
        participant: this.unresponsiveParticipant,
        area,
      });
    }
    return this.builder.build();
  }

  private recordEnvelopeCut(side: 'buy' | 'sell', p: number, envelopes: SlotOrderSources['envelopes']): void {
    if (envelopes === undefined) return;
    if (side === 'buy') this.envelopeCut.importKw[p] = envelopes.importKw[p] ?? Number.NaN;
    else this.envelopeCut.exportKw[p] = envelopes.exportKw[p] ?? Number.NaN;
  }

  /** Each premises' must-run bid (or, net of baseline PV, its price-taking offer), in its own name. */
  private addPremisesUnresponsive(sources: SlotOrderSources): void {
    const loads = this.premisesUnresponsiveKw;
    for (let p = 0; p < loads.length; p++) {
      const loadKw = loads[p] ?? 0;
      if (loadKw === 0) continue;
      this.add(ENGINE_OWNER, loadKw > 0, {
        side: loadKw > 0 ? 'buy' : 'sell',
        price: loadKw > 0 ? sources.mustRunPricePerKwh : 0,
        quantity: Math.abs(loadKw),
        participant: p,
        area: sources.premisesArea?.[p] ?? -1,
      });
    }
  }

  private add(owner: number, mustRun: boolean, row: Parameters<OrderTableBuilder['add']>[0]): number {
    const index = this.builder.add(row);
    if (index >= this.owners.length) {
      const owners = new Int32Array(this.owners.length * 2);
      owners.set(this.owners);
      this.owners = owners;
      const flags = new Uint8Array(this.mustRun.length * 2);
      flags.set(this.mustRun);
      this.mustRun = flags;
    }
    this.owners[index] = owner;
    this.mustRun[index] = mustRun ? 1 : 0;
    return index;
  }
}

/**
 * What each premises may still bid, by side, once its unresponsive load (last metered) is counted
 * against its import envelope. Null when the grid gives no envelopes.
 */
function envelopeHeadroom(
  sources: SlotOrderSources,
): { importKw: Float64Array; exportKw: Float64Array } | null {
  const { envelopes, devices, devicePremises, deviceLoadKw } = sources;
  if (envelopes === undefined) return null;
  const importKw = Float64Array.from(envelopes.importKw);
  const exportKw = Float64Array.from(envelopes.exportKw);
  for (let d = 0; d < devices.length; d++) {
    if ((devices[d] as DerAgent).mode !== 'baseline') continue;
    const p = devicePremises[d] ?? 0;
    const loadKw = deviceLoadKw[d] ?? 0;
    importKw[p] = (importKw[p] ?? 0) - loadKw;
    exportKw[p] = (exportKw[p] ?? 0) + loadKw;
  }
  return { importKw, exportKw };
}
