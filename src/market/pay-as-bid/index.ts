export * from './merit-order.js';
export * from './pay-as-bid-auction.js';
export * from './trade-settlement.js';
