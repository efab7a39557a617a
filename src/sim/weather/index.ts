export * from './tmy3-parser.js';
export * from './weather-source.js';
export * from './load-weather-file.js';
