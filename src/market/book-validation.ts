import { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import type { ColumnarBook, Side } from './types.js';

/** GridLAB-D's defaults for the auction parameters. */
export const DEFAULT_PRICE_CAP = 9999;
export const DEFAULT_BID_OFFSET = 0.0001;

/** Checks the market parameters: the price cap must be finite and positive, the offset finite and >= 0. */
export function validateMarketParameters(priceCap: number, bidOffset: number): TeError | undefined {
  if (!Number.isFinite(priceCap)) {
    return new TeError('TE_ERR_NOT_FINITE', `priceCap is ${String(priceCap)}`, {
      path: 'priceCap',
      hint: `give a finite positive number, such as ${DEFAULT_PRICE_CAP}`,
    });
  }
  if (priceCap <= 0) {
    return new TeError('TE_ERR_VALIDATION', `priceCap is ${priceCap}, but it must be greater than 0`, {
      path: 'priceCap',
      hint: `give the largest price magnitude the market accepts, such as ${DEFAULT_PRICE_CAP}`,
    });
  }
  if (!Number.isFinite(bidOffset)) {
    return new TeError('TE_ERR_NOT_FINITE', `bidOffset is ${String(bidOffset)}`, {
      path: 'bidOffset',
      hint: `give a finite number >= 0, such as ${DEFAULT_BID_OFFSET}`,
    });
  }
  if (bidOffset < 0) {
    return new TeError('TE_ERR_VALIDATION', `bidOffset is ${bidOffset}, but it must be >= 0`, {
      path: 'bidOffset',
      hint: `give a small non-negative nudge, such as ${DEFAULT_BID_OFFSET}`,
    });
  }
  return undefined;
}

/**
 * Checks one bid against the auction's input rules. `where` names the bid in error paths, such as
 * `buys[3]`. Prices above the cap are allowed (the auction lowers them); prices below -cap are not.
 */
export function validateBid(
  where: string,
  side: Side,
  price: number,
  quantity: number,
  priceCap: number,
): TeError | undefined {
  const noun = side === 'buy' ? 'bid' : 'offer';
  if (!Number.isFinite(price)) {
    return new TeError('TE_ERR_NOT_FINITE', `the ${noun} price is ${String(price)}`, {
      path: `${where}.price`,
      hint: `give a finite price; to bid without limit use the price cap ${side === 'buy' ? '' : '-'}${priceCap}`,
    });
  }
  if (!Number.isFinite(quantity)) {
    return new TeError('TE_ERR_NOT_FINITE', `the ${noun} quantity is ${String(quantity)}`, {
      path: `${where}.quantity`,
      hint: 'give a finite quantity >= 0',
    });
  }
  if (quantity < 0) {
    return new TeError('TE_ERR_NEGATIVE_QUANTITY', `the ${noun} quantity is ${quantity}`, {
      path: `${where}.quantity`,
      hint: `quantities are positive on both sides; to ${side === 'buy' ? 'sell' : 'buy'}, put it in the ${side === 'buy' ? 'sells' : 'buys'} list`,
    });
  }
  if (price < -priceCap) {
    return new TeError(
      'TE_ERR_PRICE_OUT_OF_RANGE',
      `the ${noun} price ${price} is below -priceCap (${-priceCap})`,
      {
        path: `${where}.price`,
        hint: `use a price of at least ${-priceCap}; ${-priceCap} itself means ${side === 'buy' ? 'a bid at the floor' : 'an unresponsive (must-run) seller'}`,
      },
    );
  }
  return undefined;
}

/** Checks a whole columnar book; on success it returns the same book. */
export function validateColumnarBook(book: ColumnarBook): Result<ColumnarBook, TeError> {
  const parameterError = validateMarketParameters(book.priceCap, book.bidOffset);
  if (parameterError !== undefined) return err(parameterError);
  const sides = [
    ['buy', 'buys', book.buyPrices, book.buyQuantities],
    ['sell', 'sells', book.sellPrices, book.sellQuantities],
  ] as const;
  for (const [side, list, prices, quantities] of sides) {
    if (prices.length !== quantities.length) {
      return err(
        new TeError(
          'TE_ERR_VALIDATION',
          `${list} has ${prices.length} prices but ${quantities.length} quantities`,
          { path: list, hint: 'give one price and one quantity per bid' },
        ),
      );
    }
    for (let index = 0; index < prices.length; index++) {
      const price = prices[index] as number;
      const quantity = quantities[index] as number;
      // The fast test first: this loop runs over every bid of a large book.
      if (price >= -book.priceCap && quantity >= 0 && price !== Infinity && quantity !== Infinity) continue;
      const bidError = validateBid(`${list}[${index}]`, side, price, quantity, book.priceCap);
      if (bidError !== undefined) return err(bidError);
    }
  }
  return ok(book);
}
