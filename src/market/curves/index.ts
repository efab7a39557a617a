export * from './bid-curve.js';
export * from './market-basis.js';
export * from './curve-aggregation.js';
export * from './curve-sum-exact.js';
export * from './curve-intersection.js';
export * from './balanced-allocation.js';
export * from './step-row-clearing.js';
export * from './powermatcher-mechanism.js';
