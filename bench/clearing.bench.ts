/**
 * Clearing speed of the uniform-price double auction: the columnar implementation against the plain
 * comparator-sort reference (bench/reference-auction.ts), measured in the same run on the same seeded
 * books. Run with `npx tsx bench/clearing.bench.ts`; prints a markdown table.
 */
import { cpus } from 'node:os';
import { SeededRandom } from '../src/core/random.js';
import { clearUniformPriceAuction } from '../src/market/uniform-price-auction.js';
import type { ColumnarBook } from '../src/market/types.js';
import type { ReferenceBook } from './reference-auction.js';
import { referenceClear } from './reference-auction.js';
import { timeRuns } from './timing.js';

interface BenchBook {
  readonly columnar: ColumnarBook;
  readonly objects: ReferenceBook;
}

/** Half buys, half sells; prices uniform in [0, 100) $/MWh and quantities in [0, 10) kW, so curves cross. */
function randomBook(bidCount: number, seed: number): BenchBook {
  const random = new SeededRandom(seed);
  const side = (count: number): { prices: Float64Array; quantities: Float64Array } => {
    const prices = new Float64Array(count);
    const quantities = new Float64Array(count);
    for (let index = 0; index < count; index++) {
      prices[index] = random.uniform(0, 100);
      quantities[index] = random.uniform(0, 10);
    }
    return { prices, quantities };
  };
  const buys = side(Math.floor(bidCount / 2));
  const sells = side(bidCount - Math.floor(bidCount / 2));
  const asObjects = (columns: { prices: Float64Array; quantities: Float64Array }) =>
    Array.from(columns.prices, (price, index) => ({ price, quantity: columns.quantities[index] as number }));
  return {
    columnar: {
      priceCap: 9999,
      bidOffset: 0.0001,
      buyPrices: buys.prices,
      buyQuantities: buys.quantities,
      sellPrices: sells.prices,
      sellQuantities: sells.quantities,
    },
    objects: { priceCap: 9999, bidOffset: 0.0001, buys: asObjects(buys), sells: asObjects(sells) },
  };
}

const SIZES = [
  { bids: 10_000, runs: 15 },
  { bids: 100_000, runs: 9 },
  { bids: 1_000_000, runs: 5 },
];

const rows: string[] = [];
let disagreements = 0;
for (const { bids, runs } of SIZES) {
  const book = randomBook(bids, 825 + bids);
  const ours = timeRuns(runs, () => clearUniformPriceAuction(book.columnar));
  const reference = timeRuns(runs, () => referenceClear(book.objects));
  if (ours.result.price !== reference.result.price || ours.result.quantity !== reference.result.quantity) {
    disagreements++;
    console.error(
      `disagreement at ${bids} bids: tenet ${ours.result.price} / ${ours.result.quantity}, ` +
        `reference ${reference.result.price} / ${reference.result.quantity}`,
    );
  }
  const format = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  rows.push(
    `| ${bids.toLocaleString('en-US')} | ${runs} | ${format(ours.medianMs)} | ${format(reference.medianMs)} | ` +
      `${(reference.medianMs / ours.medianMs).toFixed(1)}x | ${ours.result.price.toFixed(4)} | ` +
      `${ours.result.quantity.toFixed(1)} | ${ours.result.clearingType} |`,
  );
}

console.log(`## Uniform-price double auction clearing`);
console.log('');
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread; median of the runs after a warm-up.`,
);
console.log('');
console.log('| bids | runs | tenet columnar (ms) | reference (ms) | speed-up | price | quantity | type |');
console.log('|---:|---:|---:|---:|---:|---:|---:|---|');
for (const row of rows) console.log(row);

if (disagreements > 0) {
  console.error(`${disagreements} book(s) cleared differently: the implementations disagree`);
  process.exitCode = 1;
}
