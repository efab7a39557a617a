export * from './order-table.js';
export * from './area-tree.js';
export * from './clearing-mechanism.js';
export * from './order-table-validation.js';
export * from './mechanism-registry.js';
export { uniformPriceAuction } from './uniform-price-mechanism.js';
