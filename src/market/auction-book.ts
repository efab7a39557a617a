import { TeError } from '../core/errors.js';
import type { Result } from '../core/result.js';
import { err, ok } from '../core/result.js';
import {
  DEFAULT_BID_OFFSET,
  DEFAULT_PRICE_CAP,
  validateBid,
  validateMarketParameters,
} from './book-validation.js';
import type { ColumnarBook, Side } from './types.js';

/** One bid of a book in object form. `bidder` names who placed it, when known. */
export interface BookBid {
  readonly price: number;
  readonly quantity: number;
  readonly bidder?: string;
}

/**
 * A book in the golden-case JSON format: `priceCap` and `bidOffset` (GridLAB-D's defaults when left out),
 * then the buys and sells in submission order. Other keys of that format (`name`, `expected`, ...) are
 * informational and ignored.
 */
export interface AuctionBook {
  readonly priceCap: number;
  readonly bidOffset: number;
  readonly buys: readonly BookBid[];
  readonly sells: readonly BookBid[];
}

/** Reads a book from parsed JSON (or any value), reporting the first problem with its path. */
export function parseAuctionBook(input: unknown): Result<AuctionBook, TeError> {
  if (!isRecord(input)) {
    return err(
      new TeError('TE_ERR_VALIDATION', `the book must be an object, not ${describe(input)}`, {
        path: '(root)',
        hint: 'give {"priceCap": 9999, "bidOffset": 0.0001, "buys": [...], "sells": [...]}',
      }),
    );
  }
  const priceCap = optionalNumber(input, 'priceCap', DEFAULT_PRICE_CAP);
  if (!priceCap.ok) return priceCap;
  const bidOffset = optionalNumber(input, 'bidOffset', DEFAULT_BID_OFFSET);
  if (!bidOffset.ok) return bidOffset;
  const parameterError = validateMarketParameters(priceCap.value, bidOffset.value);
  if (parameterError !== undefined) return err(parameterError);

  const buys = parseBids(input, 'buys', 'buy', priceCap.value);
  if (!buys.ok) return buys;
  const sells = parseBids(input, 'sells', 'sell', priceCap.value);
  if (!sells.ok) return sells;
  return ok({ priceCap: priceCap.value, bidOffset: bidOffset.value, buys: buys.value, sells: sells.value });
}

/** The columnar form of a (valid) book; bids keep their submission indices. */
export function toColumnarBook(book: AuctionBook): ColumnarBook {
  return {
    priceCap: book.priceCap,
    bidOffset: book.bidOffset,
    buyPrices: Float64Array.from(book.buys, (bid) => bid.price),
    buyQuantities: Float64Array.from(book.buys, (bid) => bid.quantity),
    sellPrices: Float64Array.from(book.sells, (bid) => bid.price),
    sellQuantities: Float64Array.from(book.sells, (bid) => bid.quantity),
  };
}

function parseBids(
  input: Record<string, unknown>,
  list: 'buys' | 'sells',
  side: Side,
  priceCap: number,
): Result<BookBid[], TeError> {
  const raw = input[list];
  const example = '[{"price": 30, "quantity": 5}, ...]';
  if (raw === undefined) {
    return err(
      new TeError('TE_ERR_VALIDATION', `${list} is missing`, {
        path: list,
        hint: `give the ${side === 'buy' ? 'buy bids' : 'sell offers'} as ${example}, or [] for none`,
      }),
    );
  }
  if (!Array.isArray(raw)) {
    return err(
      new TeError('TE_ERR_VALIDATION', `${list} must be a list, not ${describe(raw)}`, {
        path: list,
        hint: `give a list such as ${example}`,
      }),
    );
  }
  const bids: BookBid[] = [];
  for (let index = 0; index < raw.length; index++) {
    const where = `${list}[${index}]`;
    const entry: unknown = raw[index];
    if (!isRecord(entry)) {
      return err(
        new TeError('TE_ERR_VALIDATION', `each bid must be an object, not ${describe(entry)}`, {
          path: where,
          hint: 'give {"price": 30, "quantity": 5}',
        }),
      );
    }
    const price = requiredNumber(entry, where, 'price');
    if (!price.ok) return price;
    const quantity = requiredNumber(entry, where, 'quantity');
    if (!quantity.ok) return quantity;
    const bidder = entry['bidder'];
    if (bidder !== undefined && typeof bidder !== 'string') {
      return err(
        new TeError('TE_ERR_VALIDATION', `bidder must be a string, not ${describe(bidder)}`, {
          path: `${where}.bidder`,
          hint: 'give the bidder id as a string, or leave it out',
        }),
      );
    }
    const bidError = validateBid(where, side, price.value, quantity.value, priceCap);
    if (bidError !== undefined) return err(bidError);
    bids.push(
      bidder === undefined
        ? { price: price.value, quantity: quantity.value }
        : { price: price.value, quantity: quantity.value, bidder },
    );
  }
  return ok(bids);
}

function requiredNumber(entry: Record<string, unknown>, where: string, key: string): Result<number, TeError> {
  const value = entry[key];
  if (value === undefined) {
    return err(
      new TeError('TE_ERR_VALIDATION', `${key} is missing`, {
        path: `${where}.${key}`,
        hint: `give the ${key} as a number`,
      }),
    );
  }
  if (typeof value !== 'number') {
    return err(
      new TeError('TE_ERR_VALIDATION', `${key} must be a number, not ${describe(value)}`, {
        path: `${where}.${key}`,
        hint: `write the ${key} as a JSON number without quotes`,
      }),
    );
  }
  return ok(value);
}

function optionalNumber(
  input: Record<string, unknown>,
  key: string,
  fallback: number,
): Result<number, TeError> {
  const value = input[key];
  if (value === undefined) return ok(fallback);
  if (typeof value !== 'number') {
    return err(
      new TeError('TE_ERR_VALIDATION', `${key} must be a number, not ${describe(value)}`, {
        path: key,
        hint: `write it as a JSON number, or leave it out for the default ${fallback}`,
      }),
    );
  }
  return ok(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string')
    return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
