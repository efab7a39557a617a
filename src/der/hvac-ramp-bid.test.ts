import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  gridlabdRampBidPrice,
  gridlabdRampSetpointF,
  HOUSE_COOL,
  HOUSE_HEAT,
  rampLimits,
  tespHvacBidPrice,
  type RampPreset,
} from './hvac-ramp-bid.js';

interface GoldenExample {
  readonly name: string;
  readonly inputs: Record<string, number | null>;
  readonly expected: Record<string, number>;
  readonly tolerance: number;
}
const golden = JSON.parse(
  readFileSync(new URL('../../test/fixtures/der/hvac-bid.json', import.meta.url), 'utf8'),
) as { examples: GoldenExample[] };

function example(name: string): GoldenExample {
  const found = golden.examples.find((e) => e.name === name);
  if (found === undefined) throw new Error(`golden example ${name} missing`);
  return found;
}
const num = (value: number | null | undefined): number => {
  if (typeof value !== 'number') throw new Error('expected a number in the golden inputs');
  return value;
};

describe('GridLAB-D controller ramp (golden)', () => {
  const ex = example('gridlabd-controller-ramp-house-cool');
  const i = ex.inputs;
  const preset: RampPreset = {
    rampLow: num(i.rampLow),
    rampHigh: num(i.rampHigh),
    rangeLowF: num(i.rangeLow),
    rangeHighF: num(i.rangeHigh),
    direction: 1,
  };
  const limits = rampLimits(preset, num(i.baseSetpoint), i.sliderSetting ?? null);

  it('uses the HOUSE_COOL preset', () => {
    expect(preset).toEqual(HOUSE_COOL);
  });

  it('bids the golden price', () => {
    const price = gridlabdRampBidPrice({
      airTempF: num(i.airTemperature),
      baseSetpointF: num(i.baseSetpoint),
      meanPrice: num(i.mean),
      stdevPrice: num(i.stdev),
      priceCap: 9999,
      limits,
    });
    expect(price).not.toBeNull();
    expect(Math.abs((price ?? 0) - num(ex.expected.bidPrice))).toBeLessThanOrEqual(ex.tolerance);
  });

  it('moves the setpoint to the golden value within the golden limits', () => {
    expect(limits.minSetpointF).toBeCloseTo(num(ex.expected.setpointMin), 9);
    expect(limits.maxSetpointF).toBeCloseTo(num(ex.expected.setpointMax), 9);
    const setpoint = gridlabdRampSetpointF({
      clearingPrice: num(i.clearingPrice),
      baseSetpointF: num(i.baseSetpoint),
      meanPrice: num(i.mean),
      stdevPrice: num(i.stdev),
      limits,
    });
    expect(Math.abs(setpoint - num(ex.expected.setpoint))).toBeLessThanOrEqual(ex.tolerance);
  });
});

describe('TESP hvac_agent bid (golden)', () => {
  const ex = example('tesp-original-hvac-agent-ramp');
  const i = ex.inputs;
  it('reproduces the bid with Trange = 2 × offsetLimit', () => {
    expect(2 * num(i.offsetLimit)).toBe(num(ex.expected.Trange));
    const price = tespHvacBidPrice({
      airTempMinusBasepointF: num(i.airTemperatureMinusBasepoint),
      meanPrice: num(i.mean),
      stdevPrice: num(i.stdev),
      ramp: num(i.ramp),
      offsetLimitF: num(i.offsetLimit),
      priceCap: 1,
    });
    expect(Math.abs(price - num(ex.expected.bidPrice))).toBeLessThanOrEqual(ex.tolerance);
  });
  it('clips to [0, cap]', () => {
    const base = { meanPrice: 0.02, stdevPrice: 0.01, ramp: 2, offsetLimitF: 3, priceCap: 0.05 };
    expect(tespHvacBidPrice({ ...base, airTempMinusBasepointF: -100 })).toBe(0);
    expect(tespHvacBidPrice({ ...base, airTempMinusBasepointF: 100 })).toBe(0.05);
  });
});

describe('ramp behaviour', () => {
  const market = { meanPrice: 0.1, stdevPrice: 0.02, priceCap: 1 };
  it('cooling: no bid below the minimum, cap above the maximum', () => {
    const limits = rampLimits(HOUSE_COOL, 72, null);
    expect(gridlabdRampBidPrice({ ...market, airTempF: 71.5, baseSetpointF: 72, limits })).toBeNull();
    expect(gridlabdRampBidPrice({ ...market, airTempF: 77.5, baseSetpointF: 72, limits })).toBe(1);
  });
  it('heating bids more when colder and caps below the minimum', () => {
    const limits = rampLimits(HOUSE_HEAT, 68, null);
    const warm = gridlabdRampBidPrice({ ...market, airTempF: 67.5, baseSetpointF: 68, limits }) ?? 0;
    const cold = gridlabdRampBidPrice({ ...market, airTempF: 65, baseSetpointF: 68, limits }) ?? 0;
    expect(cold).toBeGreaterThan(warm);
    expect(warm).toBeGreaterThan(0.1);
    expect(gridlabdRampBidPrice({ ...market, airTempF: 62, baseSetpointF: 68, limits })).toBe(1);
    expect(gridlabdRampBidPrice({ ...market, airTempF: 69, baseSetpointF: 68, limits })).toBeNull();
  });
  it('the slider narrows the range and steepens the ramp; 0 pins the setpoint', () => {
    const half = rampLimits(HOUSE_COOL, 72, 0.5);
    expect(half.maxSetpointF).toBe(74.5);
    expect(half.rampHigh).toBe(2.5);
    expect(half.rampLow).toBe(0);
    const pinned = rampLimits(HOUSE_COOL, 72, 0);
    expect(pinned.minSetpointF).toBe(72);
    expect(pinned.maxSetpointF).toBe(72);
  });
  it('bid and setpoint are inverse: a bid clears exactly when the new setpoint is at the air temperature', () => {
    const limits = rampLimits(HOUSE_COOL, 72, null);
    const bid = gridlabdRampBidPrice({ ...market, airTempF: 75, baseSetpointF: 72, limits }) ?? 0;
    const setpoint = gridlabdRampSetpointF({ ...market, clearingPrice: bid, baseSetpointF: 72, limits });
    expect(setpoint).toBeCloseTo(75, 9);
  });
});
