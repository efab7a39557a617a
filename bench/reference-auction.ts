/**
 * A plain reading of specs/double-auction.md, written for clarity rather than speed: bids as objects,
 * Array.prototype.sort with comparators, one walk over the curves. The benchmark measures the columnar
 * implementation against it, and tests use it as an independent oracle.
 */

export interface ReferenceBid {
  readonly price: number;
  readonly quantity: number;
  /** Submission index on its side. */
  readonly index: number;
}

export interface ReferenceBook {
  readonly priceCap: number;
  readonly bidOffset: number;
  readonly buys: readonly { price: number; quantity: number }[];
  readonly sells: readonly { price: number; quantity: number }[];
}

export interface ReferenceClearing {
  price: number;
  quantity: number;
  clearingType: string;
  marginalQuantity: number;
}

export function referenceClear(book: ReferenceBook): ReferenceClearing {
  const cap = book.priceCap;
  const offset = book.bidOffset;
  const lowerToCap = (bid: { price: number; quantity: number }, index: number): ReferenceBid => ({
    price: Math.min(bid.price, cap),
    quantity: bid.quantity,
    index,
  });
  // Array.prototype.sort is stable. Buys: high price first, ties in submission order. Sells: low price
  // first, ties in reverse submission order (what GridLAB-D's merge sort does).
  const buys = book.buys.map(lowerToCap).sort((x, y) => y.price - x.price || x.index - y.index);
  const sells = book.sells.map(lowerToCap).sort((x, y) => x.price - y.price || y.index - x.index);

  const clamp = (price: number): number => Math.max(-cap, Math.min(cap, price));

  if (buys.length === 0 || sells.length === 0) {
    let price = 0;
    if (sells.length > 0) price = sells[0]!.price - offset;
    else if (buys.length > 0) price = buys[0]!.price + offset;
    return { price: clamp(price), quantity: 0, clearingType: 'null', marginalQuantity: 0 };
  }

  let i = 0;
  let j = 0;
  let demand = 0;
  let supply = 0;
  let quantity = 0;
  let a = cap;
  let b = -cap;
  let tie = false;
  let type = 'null';
  const buyAt = (): ReferenceBid => buys[Math.min(i, buys.length - 1)]!;
  const sellAt = (): ReferenceBid => sells[Math.min(j, sells.length - 1)]!;

  while (i < buys.length && j < sells.length && buyAt().price >= sellAt().price) {
    const buy = buyAt();
    const sell = sellAt();
    if (demand + buy.quantity > supply + sell.quantity) {
      quantity = supply = supply + sell.quantity;
      a = b = buy.price;
      j++;
      tie = false;
      type = 'marginal-buyer';
    } else if (demand + buy.quantity < supply + sell.quantity) {
      quantity = demand = demand + buy.quantity;
      a = b = sell.price;
      i++;
      tie = false;
      type = 'marginal-seller';
    } else {
      quantity = demand = supply = demand + buy.quantity;
      a = buy.price;
      b = sell.price;
      i++;
      j++;
      tie = true;
    }
  }

  const buy = buyAt();
  const sell = sellAt();
  const buysDone = i === buys.length;
  const sellsDone = j === sells.length;
  let price = 0;
  if (a === b) price = a;
  if (tie) {
    price = a;
    if (buysDone || sellsDone) {
      if (buysDone && sellsDone) type = a === b ? 'exact' : 'marginal-price';
      else if (buysDone && b === sell.price) type = 'marginal-seller';
      else if (sellsDone && a === buy.price) type = 'marginal-buyer';
      else type = a === b ? 'exact' : 'marginal-price';
    } else if (a !== buy.price && b !== sell.price && a === b) type = 'exact';
    else if (a === buy.price && b !== sell.price) type = 'marginal-buyer';
    else if (a !== buy.price && b === sell.price) {
      type = 'marginal-seller';
      price = b;
    } else if (a === buy.price && b === sell.price) {
      // the type stays as it was
    } else type = 'marginal-price';

    if (type === 'marginal-price') {
      const avg = (a + b) / 2;
      const hi = buysDone ? a : buy.price;
      const lo = sellsDone ? b : sell.price;
      if (a === cap && b !== -cap) price = buy.price > b ? buy.price + offset : b;
      else if (a !== cap && b === -cap) price = sell.price < a ? sell.price - offset : a;
      else if (a === cap && b === -cap) {
        if (buysDone && sellsDone) price = 0;
        else if (buysDone) price = buy.price + offset;
        else if (j === buys.length) price = sell.price - offset;
        else price = (hi + lo) / 2;
      } else if (!buysDone && buy.price === a) price = a;
      else if (!sellsDone && sell.price === b) price = b;
      else if (!buysDone && avg < buy.price) price = hi + offset;
      else if (!sellsDone && avg > sell.price) price = lo - offset;
      else price = avg;
    }
  }

  let unresponsiveDemand = 0;
  for (const bid of buys) if (bid.price === cap) unresponsiveDemand += bid.quantity;
  let unresponsiveSupply = 0;
  for (const bid of sells) if (bid.price === -cap) unresponsiveSupply += bid.quantity;

  if (quantity === 0) {
    type = 'null';
    if (sells[0]!.price === cap) price = buys[0]!.price + offset;
    else if (buys[0]!.price === -cap) price = sells[0]!.price - offset;
    else price = sells[0]!.price + 0.5 * (buys[0]!.price - sells[0]!.price);
  } else if (quantity < unresponsiveDemand) {
    type = 'failure';
    price = cap;
  } else if (quantity < unresponsiveSupply) {
    type = 'failure';
    price = -cap;
  } else if (quantity === unresponsiveDemand && quantity === unresponsiveSupply) {
    type = 'marginal-price';
    price = 0;
  }
  price = clamp(price);

  let marginalQuantity = 0;
  if (type === 'marginal-buyer') {
    const above = buys.filter((bid) => bid.price > price).reduce((sum, bid) => sum + bid.quantity, 0);
    marginalQuantity = quantity - above;
  } else if (type === 'marginal-seller') {
    const below = sells.filter((bid) => bid.price < price).reduce((sum, bid) => sum + bid.quantity, 0);
    marginalQuantity = quantity - below;
  }
  return { price, quantity, clearingType: type, marginalQuantity };
}
