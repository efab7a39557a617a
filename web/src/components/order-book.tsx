/**
 * A continuous market's order book for a slot (contract D): bids and asks by price level, each with a
 * depth bar scaled to the deepest level on either side, best prices nearest the spread.
 */
import { formatNumber, formatPowerKw, formatPricePerKwh } from '../format';
import type { BookLevel, OrderBook } from '../market/contracts';

export function OrderBookTable({ book, currency = 'USD' }: { book: OrderBook; currency?: string }) {
  const deepestKw = Math.max(
    1e-9,
    ...book.bids.map((l) => l.quantityKw),
    ...book.asks.map((l) => l.quantityKw),
  );
  const asks = [...book.asks].sort((a, b) => b.pricePerKwh - a.pricePerKwh);
  const bids = [...book.bids].sort((a, b) => b.pricePerKwh - a.pricePerKwh);
  const row = (level: BookLevel, side: 'bid' | 'ask') => (
    <tr key={`${side}${level.pricePerKwh}`} class={`book-${side}`}>
      <td class="num">{formatPricePerKwh(level.pricePerKwh, currency)}</td>
      <td class="num">{formatPowerKw(level.quantityKw)}</td>
      <td class="num">{formatNumber(level.orders, 0)}</td>
      <td class="book-depth">
        <span style={{ width: `${(100 * level.quantityKw) / deepestKw}%` }} />
      </td>
    </tr>
  );
  return (
    <div data-testid="order-book">
      <table class="data book">
        <thead>
          <tr>
            <th class="num">Price</th>
            <th class="num">Quantity</th>
            <th class="num">Orders</th>
            <th>Depth</th>
          </tr>
        </thead>
        <tbody>
          {asks.length === 0 && (
            <tr>
              <td colSpan={4} class="hint">
                No asks (offers to sell) at this slot.
              </td>
            </tr>
          )}
          {asks.map((level) => row(level, 'ask'))}
          <tr class="book-spread">
            <td colSpan={4}>
              {book.lastTradePricePerKwh === undefined
                ? 'No trade yet'
                : `Last trade ${formatPricePerKwh(book.lastTradePricePerKwh, currency)}`}
            </td>
          </tr>
          {bids.map((level) => row(level, 'bid'))}
          {bids.length === 0 && (
            <tr>
              <td colSpan={4} class="hint">
                No bids (orders to buy) at this slot.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </div>
  );
}
