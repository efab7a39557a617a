/**
 * Quantises a slot's fills to integer watt-hours so that energy bought equals energy sold exactly: each
 * side's fills share the same total (the sold energy, rounded half to even) by the largest-remainder
 * method, so no fill moves by a whole watt-hour or more. The two sides may differ by float noise, never by
 * more than 1 Wh: a clearing that buys more than it sells is refused (fills against an outside
 * counterparty must include its rows, e.g. the supplier's).
 */
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { kwhToWh } from './posting-rounding.js';

export interface SidedEnergy {
  readonly side: 'buy' | 'sell';
  readonly energyKwh: number;
}

/** Integer parts summing to `targetWh`, each within 1 Wh of its exact value (ties to the earlier index). */
function largestRemainder(
  exactWh: readonly number[],
  indices: readonly number[],
  targetWh: number,
  out: number[],
): void {
  let sum = 0;
  for (const index of indices) {
    const floor = Math.floor(exactWh[index] as number);
    out[index] = floor;
    sum += floor;
  }
  let remaining = targetWh - sum;
  if (remaining === 0) return;
  const fraction = (index: number) => (exactWh[index] as number) - Math.floor(exactWh[index] as number);
  const byFraction = [...indices].sort((a, b) => fraction(b) - fraction(a) || a - b);
  // Up: the largest fractions first; down (float noise above the target): the smallest, never below 0.
  const order =
    remaining > 0 ? byFraction : byFraction.reverse().filter((index) => (out[index] as number) > 0);
  for (let k = 0; remaining !== 0 && order.length > 0; k = (k + 1) % order.length) {
    const index = order[k] as number;
    if (remaining < 0 && (out[index] as number) === 0) continue;
    out[index] = (out[index] as number) + Math.sign(remaining);
    remaining -= Math.sign(remaining);
  }
}

export function allocateWattHours(fills: readonly SidedEnergy[]): Result<number[], TeError> {
  const exactWh = fills.map((fill) => fill.energyKwh * 1000);
  const buys: number[] = [];
  const sells: number[] = [];
  let boughtWh = 0;
  let soldWh = 0;
  for (const [index, fill] of fills.entries()) {
    const wh = exactWh[index] as number;
    if (!Number.isFinite(wh) || wh < 0) {
      return err(
        new TeError('TE_ERR_LEDGER_ENERGY', `fill ${index} has energy ${fill.energyKwh} kWh`, {
          path: `rows[${index}]`,
          hint: 'filled quantities are finite and non-negative',
        }),
      );
    }
    if (fill.side === 'buy') {
      buys.push(index);
      boughtWh += wh;
    } else {
      sells.push(index);
      soldWh += wh;
    }
  }
  const out = new Array<number>(fills.length).fill(0);
  if (Math.abs(boughtWh - soldWh) > 1) {
    return err(
      new TeError('TE_ERR_LEDGER_ENERGY', `the slot's fills buy ${boughtWh} Wh but sell ${soldWh} Wh`, {
        path: 'rows',
        hint: 'settle a clearing whose buy and sell fills match; add the counterparty (supplier) rows',
      }),
    );
  }
  const targetWh = kwhToWh(soldWh / 1000);
  largestRemainder(exactWh, buys, targetWh, out);
  largestRemainder(exactWh, sells, targetWh, out);
  return ok(out);
}
