import { describe, expect, it } from 'vitest';
import { FirstOrderLag, timeConstantFromOpenLoopResponseTimeS } from './first-order-lag.js';
import { InverterController } from './inverter-controller.js';
import { defaultVoltVarMode, inverterRatingFor, type InverterSettings } from './inverter-settings.js';

describe('first-order lag with the open-loop response time', () => {
  it('τ = T / ln 10', () => {
    expect(timeConstantFromOpenLoopResponseTimeS(10)).toBeCloseTo(4.3429448, 6);
  });
  it.each([
    [5, 0.01],
    [5, 0.1],
    [5, 0.5],
    [5, 1],
    [10, 0.25],
    [10, 2],
    [10, 0.3], // does not divide T: the step nearest T
  ])('reaches 90 %% of a step at T = %f s with dt = %f s', (responseTimeS, dtS) => {
    const lag = FirstOrderLag.fromOpenLoopResponseTime(responseTimeS, 0);
    const steps = Math.round(responseTimeS / dtS);
    for (let i = 0; i < steps; i++) lag.step(dtS, 2);
    expect(Math.abs(lag.value / 2 - 0.9)).toBeLessThan(0.009);
    for (let i = 0; i < steps * 10; i++) lag.step(dtS, 2);
    expect(lag.value).toBeCloseTo(2, 6);
  });
  it('follows at once with a zero response time and ignores dt = 0', () => {
    const lag = FirstOrderLag.fromOpenLoopResponseTime(0, 1);
    expect(lag.step(1, 3)).toBe(3);
    const slow = FirstOrderLag.fromOpenLoopResponseTime(5, 1);
    expect(slow.step(0, 3)).toBe(1);
  });
});

describe('InverterController', () => {
  const settings: InverterSettings = {
    normalCategory: 'B',
    abnormalCategory: 'II',
    reactive: defaultVoltVarMode('B'),
    priority: 'reactive',
    rating: inverterRatingFor({ normalCategory: 'B' }, 10, 10, 0),
  };
  it('moves Q toward the volt-var target with the 5 s response time', () => {
    const controller = new InverterController(settings);
    for (let t = 0; t < 50; t++) controller.step(0.1, 1.05, 60, -0.5, 0.5);
    expect(controller.qPu).toBeCloseTo(0.9 * 0.22, 3);
    expect(controller.pPu).toBe(-0.5);
    for (let t = 0; t < 1000; t++) controller.step(0.1, 1.05, 60, -0.5, 0.5);
    expect(controller.qPu).toBeCloseTo(0.22, 9);
  });
  it('with autonomous V_ref the reference follows the voltage and Q returns to zero', () => {
    const controller = new InverterController({
      ...settings,
      reactive: { ...defaultVoltVarMode('B'), vrefAdjustment: { enabled: true, timeConstantS: 300 } },
    });
    controller.step(1, 1.05, 60, -0.5, 0.5);
    expect(controller.vrefPu).toBeCloseTo(1 + 0.05 * (1 - Math.exp(-1 / 300)), 12);
    for (let t = 0; t < 3000; t++) controller.step(1, 1.05, 60, -0.5, 0.5);
    expect(controller.vrefPu).toBeCloseTo(1.05, 3);
    expect(controller.qPu).toBeCloseTo(0, 3);
  });
  it('applies volt-watt and frequency droop with their lags', () => {
    const controller = new InverterController({
      ...settings,
      reactive: { kind: 'constant-reactive-power', qInjectionPu: 0, openLoopResponseTimeS: 10 },
      voltWatt: {
        points: [
          { vPu: 1.06, pGenerationPu: 1 },
          { vPu: 1.1, pGenerationPu: 0 },
        ],
        openLoopResponseTimeS: 10,
      },
    });
    for (let t = 0; t < 100; t++) controller.step(1, 1.08, 60, -0.8, 0.8);
    expect(controller.pPu).toBeCloseTo(-0.5, 6);
  });
});
