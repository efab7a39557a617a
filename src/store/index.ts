/** The storage adapter: SQLite or PostgreSQL behind one set of typed repositories. See docs/storage.md. */
export * from './database.js';
export * from './migrations.js';
export * from './schema.js';
export * from './registry-repository.js';
export * from './order-repository.js';
export * from './meter-reading-repository.js';
export * from './ledger-repository.js';
export * from './clearing-result-repository.js';
export * from './audit-repository.js';
