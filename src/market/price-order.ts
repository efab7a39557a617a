/**
 * The auction's two bid orders, computed without comparator sorts so a million bids sort in milliseconds:
 * a least-significant-digit radix sort over the float64 bit patterns of the prices, 16 bits per pass.
 * A radix sort is stable, so the tie order is simply the order in which indices enter it:
 * - buys: descending price, equal prices in submission order (GridLAB-D's merge sort with `reverse`);
 * - sells: ascending price, equal prices in reverse submission order (GridLAB-D's merge sort takes the
 *   second half first on ties, which reverses every group of equal prices).
 *
 * Prices must be finite; -0 and +0 count as equal, as they do under `<` in GridLAB-D.
 */

const DIGIT_BITS = 16;
const DIGIT_MASK = 0xffff;
const BUCKETS = 1 << DIGIT_BITS;
const SIGN_BIT = 0x80000000;

const IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW_WORD = IS_LITTLE_ENDIAN ? 0 : 1;
const HIGH_WORD = IS_LITTLE_ENDIAN ? 1 : 0;

/** Below this many bids the radix sort's fixed cost (its 65536-bucket histograms) outweighs its speed. */
const SMALL_BOOK = 2048;

/** Indices of `prices` in the auction's buy order: price descending, ties in submission order. */
export function buyOrder(prices: Float64Array): Uint32Array {
  if (prices.length < SMALL_BOOK) {
    return indices(prices.length).sort((x, y) => (prices[y] as number) - (prices[x] as number) || x - y);
  }
  return radixOrder(prices, true, false);
}

/** Indices of `prices` in the auction's sell order: price ascending, ties in reverse submission order. */
export function sellOrder(prices: Float64Array): Uint32Array {
  if (prices.length < SMALL_BOOK) {
    return indices(prices.length).sort((x, y) => (prices[x] as number) - (prices[y] as number) || y - x);
  }
  return radixOrder(prices, false, true);
}

function indices(count: number): Uint32Array {
  const order = new Uint32Array(count);
  for (let index = 0; index < count; index++) order[index] = index;
  return order;
}

function radixOrder(prices: Float64Array, descending: boolean, reverseTies: boolean): Uint32Array {
  const count = prices.length;
  let order = new Uint32Array(count);
  let high = new Uint32Array(count);
  let low = new Uint32Array(count);
  const words = new Uint32Array(prices.buffer, prices.byteOffset, count * 2);
  const histograms = new Uint32Array(4 * BUCKETS);

  for (let position = 0; position < count; position++) {
    const index = reverseTies ? count - 1 - position : position;
    let highWord = words[2 * index + HIGH_WORD] as number;
    let lowWord = words[2 * index + LOW_WORD] as number;
    if (highWord === SIGN_BIT && lowWord === 0) highWord = 0; // -0 sorts with +0
    // Map the IEEE pattern to an unsigned key that orders like the number it encodes.
    if ((highWord & SIGN_BIT) !== 0) {
      highWord = ~highWord >>> 0;
      lowWord = ~lowWord >>> 0;
    } else {
      highWord = (highWord | SIGN_BIT) >>> 0;
    }
    if (descending) {
      highWord = ~highWord >>> 0;
      lowWord = ~lowWord >>> 0;
    }
    order[position] = index;
    high[position] = highWord;
    low[position] = lowWord;
    histograms[lowWord & DIGIT_MASK]!++;
    histograms[BUCKETS + (lowWord >>> DIGIT_BITS)]!++;
    histograms[2 * BUCKETS + (highWord & DIGIT_MASK)]!++;
    histograms[3 * BUCKETS + (highWord >>> DIGIT_BITS)]!++;
  }

  let nextOrder = new Uint32Array(count);
  let nextHigh = new Uint32Array(count);
  let nextLow = new Uint32Array(count);
  for (let pass = 0; pass < 4; pass++) {
    const base = pass * BUCKETS;
    if (!prefixSums(histograms, base, count)) continue; // every key shares this digit
    const keys = pass < 2 ? low : high;
    const shift = pass % 2 === 0 ? 0 : DIGIT_BITS;
    const moveLow = pass === 0;
    const moveHigh = pass < 3;
    for (let position = 0; position < count; position++) {
      const digit = ((keys[position] as number) >>> shift) & DIGIT_MASK;
      const target = histograms[base + digit]!++;
      nextOrder[target] = order[position] as number;
      if (moveHigh) nextHigh[target] = high[position] as number;
      if (moveLow) nextLow[target] = low[position] as number;
    }
    [order, nextOrder] = [nextOrder, order];
    if (moveHigh) [high, nextHigh] = [nextHigh, high];
    if (moveLow) [low, nextLow] = [nextLow, low];
  }
  return order;
}

/**
 * Turns the counts of one digit into starting offsets in place. Returns false when one bucket holds every
 * key, so the pass would not move anything.
 */
function prefixSums(histograms: Uint32Array, base: number, count: number): boolean {
  let offset = 0;
  for (let digit = 0; digit < BUCKETS; digit++) {
    const bucketCount = histograms[base + digit] as number;
    if (bucketCount === count) return false;
    histograms[base + digit] = offset;
    offset += bucketCount;
  }
  return true;
}
