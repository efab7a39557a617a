/**
 * Dispatch from a clearing: what each device won (the sum of its rows' fills, bought positive, sold
 * negative) and, for a bid at the clearing price, the share of it that was served. The simulator's cycle
 * and the live community (fills read back from the market's API) hand devices their outcome through this
 * one function, so a device behaves the same whichever market cleared its bids.
 */
import { BUY, type OrderTable } from '../market/mechanism/order-table.js';
import { ENGINE_OWNER } from './slot-orders.js';

export interface DeviceAwardBuffers {
  /** Written: kW awarded to each device. */
  readonly awardedKw: Float64Array;
  /** Written: served share of each device's marginal bid (1 when it had none). */
  readonly marginalShare: Float64Array;
}

export function awardDevices(
  table: OrderTable,
  filledKw: ArrayLike<number>,
  clearingPricePerKwh: number,
  rowDevice: Int32Array,
  into: DeviceAwardBuffers,
): void {
  const { awardedKw, marginalShare } = into;
  awardedKw.fill(0);
  marginalShare.fill(1);
  for (let i = 0; i < table.rows; i++) {
    const filled = filledKw[i] ?? 0;
    if (!(filled > 0)) continue;
    const device = rowDevice[i] ?? ENGINE_OWNER;
    if (device === ENGINE_OWNER) continue;
    const sign = table.side[i] === BUY ? 1 : -1;
    awardedKw[device] = (awardedKw[device] ?? 0) + sign * filled;
    if ((table.price[i] ?? 0) === clearingPricePerKwh) {
      marginalShare[device] = filled / (table.quantity[i] ?? 1);
    }
  }
}
