/** IEEE 1547-2018 smart-inverter functions: settings, modes, response, ride-through, outer loop. */
export * from './ieee1547-defaults.js';
export * from './piecewise-curve.js';
export * from './inverter-settings.js';
export * from './inverter-settings-validation.js';
export * from './power-limits.js';
export * from './reactive-power-modes.js';
export * from './active-power-modes.js';
export * from './inverter-command.js';
export * from './first-order-lag.js';
export * from './inverter-controller.js';
export * from './outer-loop.js';
export * from './ride-through.js';
export * from './grid-support.js';
