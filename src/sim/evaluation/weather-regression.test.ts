import { describe, expect, it } from 'vitest';
import { fitWeatherRegression, predictWeatherRegression } from './weather-regression.js';

const DAYS = 7;
const HOURS = DAYS * 24;
const hourProfile = (p: number, hour: number) => 0.5 + p + 0.05 * hour + (hour >= 17 && hour < 21 ? 1 : 0);
const COOLING = [0.12, 0.3]; // kWh per °F above 65, per customer
const HEATING = [0.08, 0.02];

function training(tempAt: (h: number) => number, hourOfDayAt = (h: number) => h % 24) {
  const premises = 2;
  const tempF = Float64Array.from({ length: HOURS }, (_, h) => tempAt(h));
  const hourOfDay = Int32Array.from({ length: HOURS }, (_, h) => hourOfDayAt(h));
  const loadKwh = new Float64Array(premises * HOURS);
  for (let p = 0; p < premises; p++) {
    for (let h = 0; h < HOURS; h++) {
      const t = tempF[h] ?? 0;
      loadKwh[p * HOURS + h] =
        hourProfile(p, hourOfDay[h] ?? 0) +
        (COOLING[p] ?? 0) * Math.max(0, t - 65) +
        (HEATING[p] ?? 0) * Math.max(0, 65 - t);
    }
  }
  return { premises, hours: HOURS, loadKwh, tempF, hourOfDay };
}

// A spring week: nights below 65 °F, afternoons above, and each day warmer than the last.
const springTemp = (h: number) =>
  58 + 1.5 * Math.floor(h / 24) + 14 * Math.sin(((h % 24) - 9) * (Math.PI / 12));

describe('weather-regression baseline', () => {
  it('recovers known hour-of-day and degree coefficients exactly from noise-free data', () => {
    const model = fitWeatherRegression(training(springTemp));
    if (!model.available) throw new Error(model.reason);
    expect(model.degreeTerms).toEqual(['cdd', 'hdd']);
    expect(model.parameters).toBe(26);
    for (let p = 0; p < 2; p++) {
      for (let hour = 0; hour < 24; hour++) {
        expect(model.coefficients[p * 26 + hour]).toBeCloseTo(hourProfile(p, hour), 9);
      }
      expect(model.coefficients[p * 26 + 24]).toBeCloseTo(COOLING[p] ?? 0, 9);
      expect(model.coefficients[p * 26 + 25]).toBeCloseTo(HEATING[p] ?? 0, 9);
    }
    expect(model.aggregateRSquared).toBeCloseTo(1, 12);
    // An event hour at 18:00 and 100 °F: profile + 35 °F of cooling.
    const predicted = predictWeatherRegression(model, [18], [100]);
    expect(predicted[0]).toBeCloseTo(0.5 + 0.9 + 1 + 0.12 * 35, 9);
    expect(predicted[1]).toBeCloseTo(1.5 + 0.9 + 1 + 0.3 * 35, 9);
  });

  it('leaves out a degree term the training data never exercise (a heat wave has no heating degrees)', () => {
    const model = fitWeatherRegression(training((h) => 80 + 10 * Math.sin((h * Math.PI) / 12) + (h % 7)));
    if (!model.available) throw new Error(model.reason);
    expect(model.degreeTerms).toEqual(['cdd']);
    expect(model.coefficients[25 + 24]).toBeCloseTo(0.3, 9);
    expect(model.coefficients[25 + 5]).toBeCloseTo(hourProfile(1, 5), 9);
  });

  it('is unavailable with a reason when the pre-period is too short', () => {
    expect(fitWeatherRegression(training(springTemp), { minimumDays: 8 })).toEqual({
      available: false,
      reason: expect.stringContaining('7.0 days of pre-period meter data, at least 8 needed'),
    });
  });

  it('is unavailable, not NaN, when the system is singular (an hour of day never seen)', () => {
    const model = fitWeatherRegression(training(springTemp, (h) => h % 23));
    expect(model).toEqual({ available: false, reason: expect.stringContaining('singular') });
  });
});
