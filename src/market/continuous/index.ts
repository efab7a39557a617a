export * from './book-events.js';
export * from './book-views.js';
export * from './continuous-double-auction.js';
export * from './continuous-order-book.js';
export type { FeeBetweenAreas } from './order-matching.js';
export type { OrderRequest, OrderType, PriceQuantityChange } from './order-validation.js';
export { DEFAULT_TICK_SIZE, priceToTicks } from './price-ticks.js';
