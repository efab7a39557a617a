import { describe, expect, it } from 'vitest';
import {
  compareTreatmentControl,
  type OutcomeComparison,
  type TreatmentControlInputs,
} from './treatment-control.js';
import { inputs, meters, START_MS } from './treatment-control.fixture.js';

function compared(input: TreatmentControlInputs) {
  const result = compareTreatmentControl(input);
  if (result.status !== 'compared') throw new Error(result.reason);
  return result;
}

function outcome(value: OutcomeComparison | { unavailable: string }): OutcomeComparison {
  if ('unavailable' in value) throw new Error(value.unavailable);
  return value;
}

describe('compareTreatmentControl', () => {
  it('estimates the peak-window effect by difference in means with Welch intervals (hand-computed)', () => {
    const result = compared(inputs());
    expect(result).toMatchObject({ controlHomes: 2, treatmentHomes: 2, peakWindow: { hours: 5 } });
    const peak = outcome(result.peakDemand);
    // Treated 0.5 and 1.5 (mean 1), control 2 and 3 (mean 2.5): effect −1.5; s² = 0.5 in both groups,
    // SE = √(0.25 + 0.25) = 0.70711, ν = 0.25 / (0.0625 + 0.0625) = 2, t(0.975, 2) = 4.302653.
    expect(peak.treatmentMean).toBe(1);
    expect(peak.controlMean).toBe(2.5);
    expect(peak.headline.method).toBe('difference-in-means');
    expect(peak.headline.effect).toBe(-1.5);
    expect(peak.headline.degreesOfFreedom).toBeCloseTo(2, 12);
    expect(peak.headline.low).toBeCloseTo(-1.5 - 4.302653 * Math.SQRT1_2, 5);
    expect(peak.headline.high).toBeCloseTo(-1.5 + 4.302653 * Math.SQRT1_2, 5);
    // MDE = (t(0.975, 2) + t(0.8, 2)) × SE = (4.302653 + 1.060660) × 0.707107.
    expect(peak.headline.minimumDetectableEffect).toBeCloseTo(5.36331 * Math.SQRT1_2, 4);
    expect(peak.headline.referenceMean).toBe(2.5);
  });

  it('the counterfactual difference in differences removes the homes’ own levels', () => {
    const peak = outcome(compared(inputs()).peakDemand);
    const counterfactual = peak.estimates.find(
      (e) => e.method === 'difference-in-differences-counterfactual',
    );
    // Changes: treated −1 and −0.5 (mean −0.75, s² 0.125), control 0 and 0: SE = √(0.125/2) = 0.25, ν = 1.
    expect(counterfactual?.effect).toBe(-0.75);
    expect(counterfactual?.standardError).toBeCloseTo(0.25, 12);
    expect(counterfactual?.degreesOfFreedom).toBeCloseTo(1, 12);
    expect(counterfactual?.high).toBeCloseTo(-0.75 + 12.706205 * 0.25, 5);
    expect(peak.estimates.map((e) => e.method)).toEqual([
      'difference-in-means',
      'difference-in-differences-counterfactual',
    ]);
  });

  it('estimates the bill effect and checks balance on pre-treatment covariates', () => {
    const result = compared(inputs());
    // Bills: treated 10 and 12, control 20 and 22: −10 per home, SE √(2/2 + 2/2) = √2, ν 2.
    expect(result.bill.headline.effect).toBe(-10);
    expect(result.bill.headline.standardError).toBeCloseTo(Math.SQRT2, 12);
    const balance = Object.fromEntries(result.balance.map((b) => [b.covariate, b]));
    // Baseline peak: treated 1.5, 2 (mean 1.75, s² 0.125), control 2, 3 (2.5, s² 0.5): d = −0.75/√0.3125.
    expect(balance['baseline-peak-window-demand']?.standardizedDifference).toBeCloseTo(
      -0.75 / Math.sqrt(0.3125),
      12,
    );
    expect(balance['pv-ownership']).toMatchObject({
      treatmentMean: 0.5,
      controlMean: 0.5,
      standardizedDifference: 0,
    });
    expect(balance['ev-ownership']).toMatchObject({
      treatmentMean: 0,
      controlMean: 0,
      standardizedDifference: 0,
    });
  });

  it('makes the pre-period difference in differences the headline when there is history', () => {
    // Two days of history; peak-window loads 1, 1.8, 2, 3.2.
    const history = meters([1, 1.8, 2, 3.2], 48, START_MS - 2 * 86_400_000);
    const result = compared(inputs({ history }));
    const peak = outcome(result.peakDemand);
    // Changes: treated −0.5, −0.3 (mean −0.4), control 0, −0.2 (mean −0.1): −0.3; s² 0.02 each, SE 0.1414.
    expect(peak.headline.method).toBe('difference-in-differences-pre-period');
    expect(peak.headline.effect).toBeCloseTo(-0.3, 6);
    expect(peak.headline.standardError).toBeCloseTo(Math.sqrt(0.02), 6);
    expect(peak.estimates).toHaveLength(3);
    // Pre-period bill: 2 days × (19 h at 1 kW + 5 h at the peak load) at 0.1, scaled by 24 h / 48 h.
    const preBill = (kw: number) => (38 + 10 * kw) * 0.1 * 0.5;
    const change = (bill: number, kw: number) => bill - preBill(kw);
    const expected = (change(10, 1) + change(12, 1.8)) / 2 - (change(20, 2) + change(22, 3.2)) / 2;
    expect(result.bill.headline.method).toBe('difference-in-differences-pre-period');
    expect(result.bill.headline.effect).toBeCloseTo(expected, 5);
    expect(result.balance.map((b) => b.covariate)).toContain('pre-period-peak-window-demand');
  });

  it('is unavailable with a reason when a group has fewer than two homes', () => {
    const result = compareTreatmentControl(inputs({ control: Uint8Array.from([0, 0, 0, 1]) }));
    expect(result.status).toBe('unavailable');
    if (result.status === 'unavailable') {
      expect(result.reason).toMatch(/control group has 1 homes and the treatment group 3/);
      expect(result).toMatchObject({ controlHomes: 1, treatmentHomes: 3 });
    }
  });

  it('says why there is no peak comparison when the horizon misses the window', () => {
    const morning = (kw: readonly number[]) => meters(kw, 6);
    const result = compared(inputs({ market: morning([1, 1, 1, 1]), baseline: morning([1, 1, 1, 1]) }));
    expect(result.peakDemand).toEqual({
      unavailable: 'the horizon holds no hour of the peak window 16:00–21:00 local time',
    });
    expect(result.bill.headline.effect).toBe(-10);
  });

  it('bootstraps reproducibly from the seed', () => {
    const first = outcome(compared(inputs()).peakDemand).headline;
    expect(outcome(compared(inputs()).peakDemand).headline).toEqual(first);
    expect(first.bootstrapLow).toBeLessThanOrEqual(first.effect);
    expect(first.bootstrapHigh).toBeGreaterThanOrEqual(first.effect);
  });
});
