import { describe, expect, it } from 'vitest';
import { dayAheadNetLoadKwh, rollingForecast, scoreModel } from './forecast-scoring.js';
import { syntheticTimeline } from './synthetic-timeline.fixture.js';

// One home; a day of history (1 kWh every hour, PV 1 kWh at noon), then a day at 2 kWh with 0.5 kWh PV at noon.
const timeline = syntheticTimeline(
  1,
  48,
  24,
  (_p, h) => (h < 24 ? 1 : 2),
  (_p, h) => (h % 24 === 12 ? (h < 24 ? 1 : 0.5) : 0),
  () => 70,
  (h) => (h % 24 === 12 ? 500 : 0),
);

describe('scoreModel', () => {
  it('persistence: every hour ahead misses by the change from one day to the next', () => {
    const { scores, table } = scoreModel('persistence', timeline, true);
    expect(scores.byHorizon).toHaveLength(24);
    for (const horizon of scores.byHorizon) {
      expect(horizon.aggregateLoad.count).toBe(24);
      expect(horizon.aggregateLoad.maeKwh).toBe(1);
      expect(horizon.aggregateLoad.rmseKwh).toBe(1);
      expect(horizon.aggregateLoad.mapePercent).toBe(50);
      expect(horizon.homeLoad.nmaePercent).toBe(50);
      // PV: 1 kWh forecast for 0.5 at noon, 0 elsewhere: Σ|e| / Σ actual = 0.5 / 0.5.
      expect(horizon.homePv.nmaePercent).toBe(100);
      expect(horizon.homePv.maeKwh).toBeCloseTo(0.5 / 24, 12);
    }
    // The day-ahead forecast issued at midnight covers the 24 hours.
    expect(scores.dayAhead.homeLoad.count).toBe(24);
    expect(scores.dayAhead.homeLoad.maeKwh).toBe(1);
    expect(table).not.toBeNull();
    if (table === null) return;
    const net = dayAheadNetLoadKwh(table);
    expect(net[12]).toBe(0);
    expect(net[13]).toBe(1);
    // Issued at 20:00 of the horizon day, its fifth hour is past the horizon: the horizon day itself.
    expect(rollingForecast(table, 20, 0)?.netLoadKwh.slice(0, 5)).toEqual([1, 1, 1, 1, 2]);
    expect(rollingForecast(table, 24, 0)).toBeNull();
  });

  it('perfect: zero error at every horizon (a check of the scoring)', () => {
    const { scores, table } = scoreModel('perfect', timeline, false);
    expect(table).toBeNull();
    for (const horizon of scores.byHorizon) {
      expect(horizon.homeLoad.maeKwh).toBe(0);
      expect(horizon.aggregateLoad.mapePercent).toBe(0);
      expect(horizon.homePv.rmseKwh).toBe(0);
    }
  });

  it('a day-ahead issue at each local midnight of a two-day horizon', () => {
    const twoDays = syntheticTimeline(
      1,
      72,
      24,
      (_p, h) => 1 + Math.floor(h / 24),
      () => 0,
      () => 70,
      () => 0,
    );
    const { scores } = scoreModel('persistence', twoDays, false);
    // Each day is forecast from the day before: 1 kWh short every hour.
    expect(scores.dayAhead.homeLoad.count).toBe(48);
    expect(scores.dayAhead.homeLoad.maeKwh).toBe(1);
  });
});
