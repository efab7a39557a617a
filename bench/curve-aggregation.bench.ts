/**
 * PowerMatcher-style curve aggregation: 100,000 seeded random device curves (2–5 breakpoints, demand and
 * supply, linear and step) summed on a market basis through the difference-array accumulator, against
 * the per-curve sampling walk and a plain reference measured in the same run (each curve sampled with
 * Array.map and the arrays summed with reduce), all three checked to agree; then clearing at the
 * intersection, disaggregation of the price down to every device with exact balancing, and the
 * 'powermatcher-curve' mechanism on a 100,000-row order table. Run with
 * `npx tsx bench/curve-aggregation.bench.ts`; prints a markdown table.
 */
import { cpus } from 'node:os';
import { SeededRandom } from '../src/core/random.js';
import {
  addDemandTo,
  aggregateCurves,
  balanceAllocations,
  basisPrice,
  intersectNetDemand,
  leafDemandsAt,
  marketBasis,
  netDemandAt,
  powerMatcherCurve,
  type BidCurve,
  type CurveAggregate,
  type MarketBasis,
} from '../src/market/curves/index.js';
import { OrderTableBuilder } from '../src/market/mechanism/order-table.js';
import { timeRuns } from './timing.js';

const DEVICES = 100_000;
const PRICE_CAP = 1;

function randomCurves(count: number, seed: number): BidCurve[] {
  const random = new SeededRandom(seed);
  return Array.from({ length: count }, () => {
    const side = random.next() < 0.55 ? 'demand' : 'supply';
    const breakpoints = random.int(2, 5);
    const prices = Array.from({ length: breakpoints }, () => random.uniform(-PRICE_CAP, PRICE_CAP)).sort(
      (a, b) => a - b,
    );
    const quantities = Array.from({ length: breakpoints }, () => random.uniform(0, 5)).sort((a, b) =>
      side === 'demand' ? b - a : a - b,
    );
    return {
      side,
      interpolation: random.next() < 0.5 ? 'linear' : 'step',
      points: prices.map((price, i) => ({ price, quantity: quantities[i] as number })),
    } satisfies BidCurve;
  });
}

/** The plain way: an array per curve from Array.map, summed with reduce. */
function referenceAggregate(curves: readonly BidCurve[], basis: MarketBasis): number[] {
  const prices = Array.from({ length: basis.steps }, (_, k) => basisPrice(basis, k));
  return curves
    .map((curve) => prices.map((price) => netDemandAt(curve, price)))
    .reduce(
      (sum, demand) => sum.map((value, k) => value + (demand[k] as number)),
      new Array<number>(basis.steps).fill(0),
    );
}

const format = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
const curves = randomCurves(DEVICES, 825);
const rows: string[] = [];
let failures = 0;

for (const steps of [101, 1001]) {
  const basisResult = marketBasis(-PRICE_CAP, PRICE_CAP, steps);
  if (!basisResult.ok) throw basisResult.error;
  const basis = basisResult.value;
  const aggregate = (): CurveAggregate => {
    const result = aggregateCurves(curves, basis);
    if (!result.ok) throw result.error;
    return result.value;
  };
  const ours = timeRuns(9, aggregate);
  const walk = timeRuns(5, () => {
    const sum = new Float64Array(basis.steps);
    for (const curve of curves) addDemandTo(sum, curve, basis);
    return sum;
  });
  const reference = timeRuns(steps > 200 ? 1 : 3, () => referenceAggregate(curves, basis));
  const worst = ours.result.demandKw.reduce(
    (max, v, k) => Math.max(max, Math.abs(v - (reference.result[k] as number))),
    0,
  );
  const walkWorst = ours.result.demandKw.reduce(
    (max, v, k) => Math.max(max, Math.abs(v - (walk.result[k] as number))),
    0,
  );
  if (Math.max(worst, walkWorst) > 1e-6) {
    failures++;
    console.error(`aggregates disagree on ${steps} steps by ${worst} kW`);
  }
  const intersection = timeRuns(51, () => intersectNetDemand(ours.result.demandKw, basis));
  const disaggregation = timeRuns(9, () => {
    const { demandKw } = leafDemandsAt(ours.result, intersection.result.price);
    return balanceAllocations(demandKw);
  });
  rows.push(
    `| ${steps} | ${format(ours.medianMs)} | ${format(walk.medianMs)} | ${format(reference.medianMs)} | ` +
      `${(reference.medianMs / ours.medianMs).toFixed(0)}x | ${format(intersection.medianMs)} | ` +
      `${format(disaggregation.medianMs)} | ${intersection.result.price.toFixed(4)} | ${intersection.result.kind} | ` +
      `${disaggregation.result.tradedKw.toFixed(1)} |`,
  );
}

// The mechanism on an order table: each device's breakpoints as buy or sell rows.
const builder = new OrderTableBuilder();
curves.forEach((curve, participant) => {
  const side = curve.side === 'demand' ? 'buy' : 'sell';
  let previous = 0;
  const points = curve.side === 'demand' ? [...curve.points].reverse() : curve.points;
  for (const point of points) {
    if (point.quantity > previous)
      builder.add({ side, price: point.price, quantity: point.quantity - previous, participant });
    previous = Math.max(previous, point.quantity);
  }
});
const table = builder.build();
const context = { slot: { startMs: 0, endMs: 300_000 }, priceCap: PRICE_CAP, bidOffset: 0.0001 };
const mechanism = timeRuns(9, () => powerMatcherCurve.clear(table, context));
if (!mechanism.result.ok) throw mechanism.result.error;

console.log('## PowerMatcher curve aggregation');
console.log('');
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread; ${DEVICES.toLocaleString('en-US')} ` +
    'seeded device curves (2–5 breakpoints, demand and supply, linear and step); median of the runs after a warm-up.',
);
console.log('');
console.log(
  '| basis steps | aggregate (ms) | per-curve sampling walk (ms) | reference Array.map + reduce (ms) | speed-up | intersection (ms) | disaggregate + balance (ms) | price | kind | traded kW |',
);
console.log('|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|');
for (const row of rows) console.log(row);
console.log('');
console.log(
  `'powermatcher-curve' mechanism on the same devices as ${table.rows.toLocaleString('en-US')} order rows ` +
    `(basis 2001 steps): ${format(mechanism.medianMs)} ms, price ${mechanism.result.value.clearingPrice.toFixed(4)}, ` +
    `status ${mechanism.result.value.status}.`,
);
if (failures > 0) process.exitCode = 1;
