export * from './retail-charge.js';
