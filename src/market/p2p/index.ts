export * from './p2p-bilateral.js';
export * from './seller-preference.js';
