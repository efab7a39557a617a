export * from './line-sweep-clearing.js';
export * from './merit-order-matching.js';
export * from './pay-as-clear-mechanism.js';
