import { describe, expect, it } from 'vitest';
import { ErrorAccumulator, ForecastScoreAccumulator } from './forecast-metrics.js';

describe('ErrorAccumulator', () => {
  it('MAE, RMSE, MAPE and nMAE by hand', () => {
    const errors = new ErrorAccumulator(true);
    errors.add(3, 1);
    errors.add(1, 2);
    const scores = errors.scores();
    expect(scores.maeKwh).toBe(1.5);
    expect(scores.rmseKwh).toBeCloseTo(Math.sqrt(2.5), 12);
    // |2/1| and |-1/2|: (200 % + 50 %) / 2.
    expect(scores.mapePercent).toBe(125);
    // Σ|e| / Σ|a| = 3 / 3.
    expect(scores.nmaePercent).toBe(100);
    expect(scores.count).toBe(2);
  });

  it('MAPE skips zero actuals and is NaN when not asked for', () => {
    const errors = new ErrorAccumulator(true);
    errors.add(1, 0);
    errors.add(3, 4);
    expect(errors.scores().mapePercent).toBe(25);
    const noMape = new ErrorAccumulator(false);
    noMape.add(1, 2);
    expect(noMape.scores().mapePercent).toBeNaN();
    expect(new ErrorAccumulator(true).scores().maeKwh).toBeNaN();
  });
});

describe('ForecastScoreAccumulator', () => {
  it('scores the aggregate, each home, and PV only where there is PV', () => {
    const scores = new ForecastScoreAccumulator();
    // Hour 1: home errors +1 and -1.5, aggregate -0.5 on 3; PV at home 0 only: error 0.2 on 1.
    scores.addHour([2, 0.5], [1, 2], [1.2, 5], [1, 0], Uint8Array.from([1, 0]));
    // Hour 2: errors 0 and +1, aggregate +1 on 4; PV error -1 on 2.
    scores.addHour([3, 2], [3, 1], [1, 0], [2, 0], Uint8Array.from([1, 0]));
    const { aggregateLoad, homeLoad, homePv } = scores.scores();
    expect(aggregateLoad.maeKwh).toBe(0.75);
    expect(aggregateLoad.mapePercent).toBeCloseTo((0.5 / 3 + 1 / 4) * 50, 12);
    expect(homeLoad.maeKwh).toBe(3.5 / 4);
    expect(homeLoad.rmseKwh).toBeCloseTo(Math.sqrt(4.25 / 4), 12);
    expect(homeLoad.nmaePercent).toBeCloseTo((100 * 3.5) / 7, 12);
    expect(homePv.count).toBe(2);
    expect(homePv.nmaePercent).toBeCloseTo((100 * 1.2) / 3, 12);
  });
});
