export * from './portfolio.js';
export * from './portfolio-book.js';
export * from './disaggregation.js';
export * from './aggregator-mechanism.js';
