export * from './tender.js';
export * from './position.js';
export * from './forward-market.js';
export * from './two-settlement.js';
