export * from './errors.js';
export * from './result.js';
export * from './random.js';
export * from './time.js';
export * from './units.js';
export * from './money.js';
