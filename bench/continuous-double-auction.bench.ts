/**
 * Speed of the continuous double auction book (src/market/continuous): build a seeded book of 1,000,000
 * resting orders, then submit a stream of crossing, passive and market orders and count orders and trades
 * per second. The plain reference book (reference-order-book.fixture.ts) runs the same kind of stream on
 * a small book in the same run, next to the fast book on that small book, for the ratio. Run with
 * `npx tsx bench/continuous-double-auction.bench.ts` (add `node --expose-gc --import tsx` for a settled
 * memory figure); prints a markdown table.
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { SeededRandom } from '../src/core/random.js';
import { ContinuousOrderBook } from '../src/market/continuous/continuous-order-book.js';
import { ReferenceOrderBook } from '../src/market/continuous/reference-order-book.fixture.js';
import type { Side } from '../src/market/types.js';

const TICK = 1e-5;
const PRICE_CAP = 1;
const PARTICIPANTS = 10_000;

interface Book {
  submit(request: Request): { ok: boolean };
  bestBid(): number;
  bestAsk(): number;
}
/** One request object reused for every order, so the loop measures the book, not the caller's allocation. */
interface Request {
  side: Side;
  type: 'limit' | 'market';
  price: number;
  quantity: number;
  participant: number;
}

const CROSSING = 0;
const PASSIVE = 1;
const MARKET = 2;

/** A seeded stream in columns: 30 % crossing limit orders, 65 % passive limit orders, 5 % market orders. */
function orderStream(count: number, seed: number) {
  const random = new SeededRandom(seed);
  const kind = new Uint8Array(count);
  const buys = new Uint8Array(count);
  const offsetTicks = new Float64Array(count);
  const quantity = new Float64Array(count);
  const participant = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const u = random.next();
    kind[i] = u < 0.3 ? CROSSING : u < 0.95 ? PASSIVE : MARKET;
    buys[i] = random.next() < 0.5 ? 1 : 0;
    // Crossing: up to 10 ticks through the best opposite price. Passive: behind it, mostly near the top.
    const v = random.next();
    offsetTicks[i] = kind[i] === CROSSING ? Math.floor(v * 11) : 1 + Math.floor(v * v * 5000);
    quantity[i] = 0.1 + Math.round(random.next() * 990) / 100;
    participant[i] = random.int(0, PARTICIPANTS - 1);
  }
  return { count, kind, buys, offsetTicks, quantity, participant };
}
type Stream = ReturnType<typeof orderStream>;

/** Submits orders [from, to) of the stream, priced against the book's best prices at that moment. */
function play(book: Book, stream: Stream, from: number, to: number): void {
  const request: Request = { side: 'buy', type: 'limit', price: 0, quantity: 0, participant: 0 };
  for (let i = from; i < to; i++) {
    const buy = stream.buys[i] === 1;
    const kind = stream.kind[i] as number;
    const offset = (stream.offsetTicks[i] as number) * TICK;
    const askOrMid = Number.isNaN(book.bestAsk()) ? 0.15 : book.bestAsk();
    const bidOrMid = Number.isNaN(book.bestBid()) ? 0.15 : book.bestBid();
    request.side = buy ? 'buy' : 'sell';
    request.type = kind === MARKET ? 'market' : 'limit';
    let price: number;
    if (kind === CROSSING) price = buy ? askOrMid + offset : bidOrMid - offset;
    else price = buy ? askOrMid - offset : bidOrMid + offset;
    request.price = Math.min(PRICE_CAP, Math.max(-PRICE_CAP, price));
    request.quantity = stream.quantity[i] as number;
    request.participant = stream.participant[i] as number;
    if (!book.submit(request).ok) throw new Error(`order ${i} refused`);
  }
}

/** Resting orders only: bids in [0.10, 0.15), asks in [0.15, 0.20), random participants. */
function fill(book: Book, orders: number, seed: number): void {
  const random = new SeededRandom(seed);
  const request: Request = { side: 'buy', type: 'limit', price: 0, quantity: 0, participant: 0 };
  for (let i = 0; i < orders; i++) {
    const buy = i % 2 === 0;
    request.side = buy ? 'buy' : 'sell';
    request.price = (buy ? 10_000 + random.int(0, 4_999) : 15_000 + random.int(0, 4_999)) * TICK;
    request.quantity = 0.1 + Math.round(random.next() * 990) / 100;
    request.participant = random.int(0, PARTICIPANTS - 1);
    book.submit(request);
  }
}

function fastBook(capacity: number) {
  // Count trades without keeping them: a sink that only counts is what a matching loop costs.
  let tradeCount = 0;
  const events = { trade: () => void tradeCount++ };
  const book = new ContinuousOrderBook({ priceCap: PRICE_CAP, events, initialCapacity: capacity });
  return { book, trades: () => tradeCount };
}

function memoryBytes(): number {
  (globalThis as { gc?: () => void }).gc?.();
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

interface Row {
  book: string;
  resting: number;
  orders: number;
  ms: number;
  trades: number;
}

const rows: Row[] = [];
const format = (n: number) => Math.round(n).toLocaleString('en-US');

// 1. The large book: build, then the stream.
const RESTING = 1_000_000;
const STREAM = 2_000_000;
const WARM_UP = 200_000;
const memoryBefore = memoryBytes();
const large = fastBook(RESTING);
let start = performance.now();
fill(large.book, RESTING, 825);
const buildMs = performance.now() - start;
const memoryAfter = memoryBytes();
rows.push({ book: 'tenet, building (passive only)', resting: 0, orders: RESTING, ms: buildMs, trades: 0 });
const stream = orderStream(WARM_UP + STREAM, 2030);
play(large.book, stream, 0, WARM_UP);
const restingAtStart = large.book.restingOrderCount;
const tradesBefore = large.trades();
start = performance.now();
play(large.book, stream, WARM_UP, WARM_UP + STREAM);
rows.push({
  book: 'tenet, stream',
  resting: restingAtStart,
  orders: STREAM,
  ms: performance.now() - start,
  trades: large.trades() - tradesBefore,
});

// 2. A small book, fast and plain, on the same stream.
const SMALL = 10_000;
const SMALL_STREAM = 2_000;
const smallStream = orderStream(SMALL_STREAM, 2031);
// A 2,000-order stream takes milliseconds: median of several fresh books, so timer noise stays small.
const smallRuns = Array.from({ length: 9 }, () => {
  const small = fastBook(SMALL);
  fill(small.book, SMALL, 826);
  const before = small.trades();
  const begin = performance.now();
  play(small.book, smallStream, 0, SMALL_STREAM);
  return { ms: performance.now() - begin, trades: small.trades() - before };
}).sort((a, b) => a.ms - b.ms);
const smallMedian = smallRuns[Math.floor(smallRuns.length / 2)] as { ms: number; trades: number };
rows.push({ book: 'tenet, stream (median of 9)', resting: SMALL, orders: SMALL_STREAM, ...smallMedian });
const reference = new ReferenceOrderBook(PRICE_CAP);
const plain: Book = {
  submit: (request) => reference.submit(request),
  bestBid: () => reference.best('buy'),
  bestAsk: () => reference.best('sell'),
};
fill(plain, SMALL, 826);
const referenceTradesBefore = reference.trades.length;
start = performance.now();
play(plain, smallStream, 0, SMALL_STREAM);
rows.push({
  book: 'reference (array of objects)',
  resting: SMALL,
  orders: SMALL_STREAM,
  ms: performance.now() - start,
  trades: reference.trades.length - referenceTradesBefore,
});
const fastSmall = rows[2] as Row;
const plainSmall = rows[3] as Row;
const sameTrades = fastSmall.trades === plainSmall.trades;

console.log('## Continuous double auction order book');
console.log('');
console.log(
  `Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'}, one thread. Stream: 30 % crossing`,
);
console.log(
  'limit orders (up to 10 ticks through), 65 % passive (1–5000 ticks behind, mostly near the top),',
);
console.log('5 % market orders; 10,000 participants; tick 1e-5 per kWh.');
console.log('');
console.log('| book | resting orders | orders | time (ms) | orders/s | trades | trades/s |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const row of rows)
  console.log(
    `| ${row.book} | ${format(row.resting)} | ${format(row.orders)} | ${row.ms.toFixed(1)} | ` +
      `${format((row.orders / row.ms) * 1000)} | ${format(row.trades)} | ${format((row.trades / row.ms) * 1000)} |`,
  );
console.log('');
console.log(
  `Speed-up over the reference at ${format(SMALL)} resting: ${(plainSmall.ms / fastSmall.ms).toFixed(0)}x` +
    ` (same trade count: ${sameTrades ? 'yes' : 'NO'}).`,
);
const gcNote = (globalThis as { gc?: unknown }).gc === undefined ? ' (without --expose-gc: approximate)' : '';
console.log(
  `Memory of the ${format(RESTING)}-order book (V8 heap + typed-array buffers)${gcNote}: ` +
    `${((memoryAfter - memoryBefore) / 2 ** 20).toFixed(0)} MiB, ` +
    `${((memoryAfter - memoryBefore) / RESTING).toFixed(0)} bytes per order.`,
);
if (!sameTrades) process.exitCode = 1;
