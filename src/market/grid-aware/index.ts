export * from './linear-program.js';
export * from './grid-limits.js';
export * from './welfare-program.js';
export * from './congestion-pricing.js';
export * from './grid-aware-auction.js';
