export * from './fee-accounting.js';
export * from './fee-lookup.js';
