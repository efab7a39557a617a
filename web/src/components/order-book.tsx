/**
 * A continuous market's order book for a slot (contract D): bids and asks by price level with depth
 * bars, the best prices next to the spread (rows from market/order-book-rows.ts).
 */
import { formatNumber, formatPowerKw, formatPricePerKwh } from '../format';
import type { OrderBook } from '../market/contracts';
import { bookRows, type BookRow } from '../market/order-book-rows';

export function OrderBookTable({ book, currency = 'USD' }: { book: OrderBook; currency?: string }) {
  const { asks, bids, spreadPerKwh } = bookRows(book);
  const row = (level: BookRow) => (
    <tr key={`${level.side}${level.pricePerKwh}`} class={`book-${level.side}`}>
      <td>{level.side === 'ask' ? 'Ask' : 'Bid'}</td>
      <td class="num">{formatPricePerKwh(level.pricePerKwh, currency)}</td>
      <td class="num">{formatPowerKw(level.quantityKw)}</td>
      <td class="num">{formatNumber(level.orders, 0)}</td>
      <td class="book-depth">
        <span style={{ width: `${(100 * level.depthShare).toFixed(1)}%` }} />
      </td>
    </tr>
  );
  const spread = [
    book.lastTradePricePerKwh === undefined
      ? 'No trade yet'
      : `Last trade ${formatPricePerKwh(book.lastTradePricePerKwh, currency)}`,
    ...(spreadPerKwh === undefined ? [] : [`spread ${formatPricePerKwh(spreadPerKwh, currency)}`]),
  ].join(' · ');
  return (
    <div class="table-scroll" data-testid="order-book">
      <table class="data book">
        <thead>
          <tr>
            <th>Side</th>
            <th class="num">Price</th>
            <th class="num">Quantity</th>
            <th class="num">Orders</th>
            <th>Depth</th>
          </tr>
        </thead>
        <tbody>
          {asks.length === 0 && (
            <tr>
              <td colSpan={5} class="hint">
                No asks (offers to sell) in this slot's book.
              </td>
            </tr>
          )}
          {asks.map(row)}
          <tr class="book-spread">
            <td colSpan={5}>{spread}</td>
          </tr>
          {bids.map(row)}
          {bids.length === 0 && (
            <tr>
              <td colSpan={5} class="hint">
                No bids (orders to buy) in this slot's book.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
