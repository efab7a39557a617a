/**
 * Coded rejections of a continuous book's order requests. A rejected order changes nothing and does not
 * use up its client order id, so the sender can correct it and send it again under the same id.
 */
import { TeError } from '../../core/errors.js';
import type { Side } from '../types.js';

export type OrderType = 'limit' | 'market';

export interface OrderRequest {
  readonly side: Side;
  /** 'limit' (the default) rests its remainder; 'market' trades at any price and never rests. */
  readonly type?: OrderType;
  /** Limit price per kWh, within ±priceCap; ignored for market orders. */
  readonly price?: number;
  /** kW averaged over the delivery slot, > 0. */
  readonly quantity: number;
  /** The trader's index; an order never trades with a resting order of the same participant. */
  readonly participant: number;
  /** Grid area (leaf of the area tree) for grid fees; -1 or absent when areas are not used. */
  readonly area?: number;
  /** The sender's own id for the order: the same id again is acknowledged as a duplicate. */
  readonly clientOrderId?: string;
}

export interface PriceQuantityChange {
  readonly price: number;
  /** The new open quantity (not counting what has already traded). */
  readonly quantity: number;
}

function where(request: { readonly clientOrderId?: string | undefined }): string {
  return request.clientOrderId === undefined ? 'the order' : `order '${request.clientOrderId}'`;
}

export function validateQuantity(quantity: number, subject: string): TeError | undefined {
  if (typeof quantity !== 'number' || !Number.isFinite(quantity))
    return new TeError('TE_ERR_NOT_FINITE', `${subject} has quantity ${String(quantity)}`, {
      path: 'quantity',
      hint: 'give a finite quantity in kW greater than 0',
    });
  if (quantity < 0)
    return new TeError('TE_ERR_NEGATIVE_QUANTITY', `${subject} has quantity ${quantity}`, {
      path: 'quantity',
      hint: 'quantities are positive on both sides; the side says buy or sell',
    });
  if (quantity === 0)
    return new TeError('TE_ERR_VALIDATION', `${subject} has quantity 0`, {
      path: 'quantity',
      hint: 'give a quantity greater than 0; to withdraw an order, cancel it',
    });
  return undefined;
}

export function validateLimitPrice(price: unknown, priceCap: number, subject: string): TeError | undefined {
  if (price === undefined)
    return new TeError('TE_ERR_VALIDATION', `${subject} is a limit order without a price`, {
      path: 'price',
      hint: "give a limit price, or send type 'market' to trade at any price",
    });
  if (typeof price !== 'number' || !Number.isFinite(price))
    return new TeError('TE_ERR_NOT_FINITE', `${subject} has price ${String(price)}`, {
      path: 'price',
      hint: `give a finite price between ${-priceCap} and ${priceCap}`,
    });
  if (Math.abs(price) > priceCap)
    return new TeError(
      'TE_ERR_PRICE_OUT_OF_RANGE',
      `${subject} has price ${price}, beyond the cap ±${priceCap}`,
      {
        path: 'price',
        hint: `give a price between ${-priceCap} and ${priceCap}; to trade at any price send a market order`,
      },
    );
  return undefined;
}

export function validateOrderRequest(request: OrderRequest, priceCap: number): TeError | undefined {
  if (isPlainlyValid(request, priceCap)) return undefined;
  const subject = where(request);
  if (request.side !== 'buy' && request.side !== 'sell')
    return new TeError('TE_ERR_VALIDATION', `${subject} has side '${String(request.side)}'`, {
      path: 'side',
      hint: "use 'buy' or 'sell'",
    });
  const type = request.type ?? 'limit';
  if (type !== 'limit' && type !== 'market')
    return new TeError('TE_ERR_VALIDATION', `${subject} has type '${String(type)}'`, {
      path: 'type',
      hint: "use 'limit' or 'market'",
    });
  const quantity = validateQuantity(request.quantity, subject);
  if (quantity !== undefined) return quantity;
  if (type === 'limit') {
    const price = validateLimitPrice(request.price, priceCap, subject);
    if (price !== undefined) return price;
  }
  if (!Number.isInteger(request.participant) || Math.abs(request.participant) > 2 ** 31 - 1)
    return new TeError('TE_ERR_VALIDATION', `${subject} has participant ${String(request.participant)}`, {
      path: 'participant',
      hint: 'give the participant as an integer index',
    });
  const area = request.area ?? -1;
  if (!Number.isInteger(area) || area < -1 || area > 2 ** 31 - 1)
    return new TeError('TE_ERR_VALIDATION', `${subject} has area ${String(area)}`, {
      path: 'area',
      hint: 'give the area as an index into the area tree, or leave it out',
    });
  return undefined;
}

/** The common case in one expression, so accepting an order builds no message strings. */
function isPlainlyValid(request: OrderRequest, priceCap: number): boolean {
  const { side, type, price, quantity, participant, area } = request;
  return (
    (side === 'buy' || side === 'sell') &&
    typeof quantity === 'number' &&
    quantity > 0 &&
    quantity < Number.POSITIVE_INFINITY &&
    (type === 'market' ||
      ((type === undefined || type === 'limit') &&
        typeof price === 'number' &&
        price >= -priceCap &&
        price <= priceCap)) &&
    (participant | 0) === participant &&
    (area === undefined || ((area | 0) === area && area >= -1))
  );
}
