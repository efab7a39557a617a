/**
 * Did the aggregator's members deliver the flexibility the market bought from them?
 *
 * Promised, per slot and member device: the flexible (not must-run) energy the market awarded the device,
 * f = Σ over its flexible rows of the filled kW (bought +, sold −) × slot hours; |f| is promised.
 * Delivered: the part of that the device's metered power x actually moved, net of its must-run award m,
 * in the awarded direction and at most the award: clamp(sign(f)·(x − m), 0, |f|) × slot hours.
 * Doing more than awarded is a deviation, not delivered flexibility, so the ratio is at most 1.
 * Device power is the simulator's submeter; a field evaluation would read premises meters instead.
 */
import { ENGINE_OWNER } from '../../engine/slot-orders.js';
import type { MarketSlotResult } from '../../engine/transactive-cycle.js';
import { BUY } from '../../market/mechanism/order-table.js';

export class FlexibilityDelivery {
  promisedKwh = 0;
  deliveredKwh = 0;
  private readonly flexibleKw: Float64Array;
  private readonly mustRunKw: Float64Array;
  /** Devices with a fill this slot, listed once each (`listed` marks them). */
  private readonly awarded: Int32Array;
  private readonly listed: Uint8Array;

  constructor(
    deviceCount: number,
    private readonly devicePremises: Int32Array,
    /** 1 for premises that bid through the aggregator. */
    private readonly memberPremises: Uint8Array,
  ) {
    this.flexibleKw = new Float64Array(deviceCount);
    this.mustRunKw = new Float64Array(deviceCount);
    this.awarded = new Int32Array(deviceCount);
    this.listed = new Uint8Array(deviceCount);
  }

  record(market: MarketSlotResult, deviceLoadKw: ArrayLike<number>, hours: number): void {
    const { table, clearing, rowDevice, rowMustRun } = market;
    const { flexibleKw, mustRunKw, awarded, listed } = this;
    let count = 0;
    for (let r = 0; r < table.rows; r++) {
      const filledKw = clearing.filled[r] ?? 0;
      if (!(filledKw > 0)) continue;
      const d = rowDevice[r] ?? ENGINE_OWNER;
      if (d === ENGINE_OWNER || this.memberPremises[this.devicePremises[d] ?? -1] !== 1) continue;
      if (listed[d] === 0) {
        listed[d] = 1;
        awarded[count++] = d;
      }
      const signedKw = table.side[r] === BUY ? filledKw : -filledKw;
      if (rowMustRun[r] === 1) mustRunKw[d] = (mustRunKw[d] ?? 0) + signedKw;
      else flexibleKw[d] = (flexibleKw[d] ?? 0) + signedKw;
    }
    for (let k = 0; k < count; k++) {
      const d = awarded[k] ?? 0;
      const promisedKw = Math.abs(flexibleKw[d] ?? 0);
      if (promisedKw > 0) {
        const direction = Math.sign(flexibleKw[d] ?? 0);
        const movedKw = direction * ((deviceLoadKw[d] ?? 0) - (mustRunKw[d] ?? 0));
        this.promisedKwh += promisedKw * hours;
        this.deliveredKwh += Math.min(promisedKw, Math.max(0, movedKw)) * hours;
      }
      flexibleKw[d] = 0;
      mustRunKw[d] = 0;
      listed[d] = 0;
    }
  }
}
