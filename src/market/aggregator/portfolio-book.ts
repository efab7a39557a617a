/**
 * The order table the inner market sees once the aggregator has gathered its members: every non-member
 * row as submitted, then the portfolio curve — the members' rows re-priced so the aggregator earns its
 * margin and merged into one step per (side, price, area, green), all under the aggregator's participant
 * index, buys best (highest) price first, sells best (lowest) first.
 *
 * Why re-price: a member who bids to buy at p must never pay more than p, and it pays the market price
 * plus the margin, so the aggregator may bid at most p − margin; a member offering at o receives the
 * market price minus the margin, so the aggregator offers o + margin. Why merge: the market sees the
 * portfolio, not the members (their privacy, and a shorter book). Area and green stay in the key because
 * grid fees and P2P preferences price them.
 */
import type { ClearingContext } from '../mechanism/clearing-mechanism.js';
import { BUY, type OrderTable } from '../mechanism/order-table.js';
import { membershipTest, type Portfolio } from './portfolio.js';

export interface PortfolioBook {
  /** The table the inner mechanism clears: non-member rows first, then one row per portfolio step. */
  readonly inner: OrderTable;
  /** For each inner row, the original row it carries; -1 for a portfolio step. */
  readonly originalRow: Int32Array;
  /** Inner row index of the first portfolio step; steps run from here to the end of `inner`. */
  readonly firstStepRow: number;
  /** For each step (inner row − firstStepRow), the original member rows it gathers. */
  readonly stepMembers: readonly (readonly number[])[];
  /** Member rows left out: no price within the cap meets their limit after the margin. They fill 0. */
  readonly excludedRows: readonly number[];
}

interface Step {
  readonly side: number;
  readonly price: number;
  readonly area: number;
  readonly green: number;
  quantity: number;
  sequence: number;
  readonly members: number[];
}

export function buildPortfolioBook(
  table: OrderTable,
  context: ClearingContext,
  portfolio: Portfolio,
): PortfolioBook {
  const isMember = membershipTest(portfolio);
  const cap = context.priceCap;
  const margin = portfolio.marginPerKwh;
  const passThrough: number[] = [];
  const excludedRows: number[] = [];
  const steps = new Map<string, Step>();
  for (let row = 0; row < table.rows; row++) {
    if (!isMember(table.participant[row] ?? -1)) {
      passThrough.push(row);
      continue;
    }
    const side = table.side[row] ?? BUY;
    // The limit the auction itself would apply: prices above the cap count as the cap.
    const limit = Math.min(table.price[row] ?? Number.NaN, cap);
    const price = side === BUY ? limit - margin : limit + margin;
    if (price < -cap || price > cap) {
      excludedRows.push(row);
      continue;
    }
    const area = table.area[row] ?? -1;
    const green = table.green[row] ?? 0;
    const sequence = table.sequence[row] ?? row;
    const key = `${side}|${price}|${area}|${green}`;
    const step = steps.get(key);
    if (step === undefined) {
      steps.set(key, {
        side,
        price,
        area,
        green,
        quantity: table.quantity[row] ?? 0,
        sequence,
        members: [row],
      });
    } else {
      step.quantity += table.quantity[row] ?? 0;
      // A step counts as submitted when its earliest member was: time-priority designs keep their meaning.
      step.sequence = Math.min(step.sequence, sequence);
      step.members.push(row);
    }
  }
  const ordered = [...steps.values()].sort(
    (a, b) =>
      a.side - b.side ||
      (a.side === BUY ? b.price - a.price : a.price - b.price) ||
      a.sequence - b.sequence ||
      a.area - b.area ||
      a.green - b.green,
  );
  const rows = passThrough.length + ordered.length;
  const inner = {
    rows,
    side: new Uint8Array(rows),
    price: new Float64Array(rows),
    quantity: new Float64Array(rows),
    participant: new Int32Array(rows),
    area: new Int32Array(rows),
    sequence: new Float64Array(rows),
    green: new Uint8Array(rows),
  };
  const originalRow = new Int32Array(rows).fill(-1);
  passThrough.forEach((row, k) => {
    inner.side[k] = table.side[row] ?? BUY;
    inner.price[k] = table.price[row] ?? Number.NaN;
    inner.quantity[k] = table.quantity[row] ?? 0;
    inner.participant[k] = table.participant[row] ?? -1;
    inner.area[k] = table.area[row] ?? -1;
    inner.sequence[k] = table.sequence[row] ?? row;
    inner.green[k] = table.green[row] ?? 0;
    originalRow[k] = row;
  });
  const firstStepRow = passThrough.length;
  ordered.forEach((step, s) => {
    const k = firstStepRow + s;
    inner.side[k] = step.side;
    inner.price[k] = step.price;
    inner.quantity[k] = step.quantity;
    inner.participant[k] = portfolio.aggregatorParticipant;
    inner.area[k] = step.area;
    inner.sequence[k] = step.sequence;
    inner.green[k] = step.green;
  });
  return {
    inner,
    originalRow,
    firstStepRow,
    stepMembers: ordered.map((step) => step.members),
    excludedRows,
  };
}
