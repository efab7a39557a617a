import { describe, expect, it } from 'vitest';
import {
  defaultVoltVarMode,
  defaultWattVarMode,
  inverterRatingFor,
  type InverterRating,
} from './inverter-settings.js';
import { limitToCapability } from './power-limits.js';
import {
  constantPowerFactorQPu,
  constantReactivePowerQPu,
  reactivePowerCommand,
  voltVarQPu,
  wattVarQPu,
} from './reactive-power-modes.js';

const B = { normalCategory: 'B' as const };
/** 10 kVA, 10 kW, Category B capability (4.4 kvar each way). */
const RATING: InverterRating = inverterRatingFor(B, 10, 10, 0);

describe('volt-var (Category B defaults reproduce Table 8)', () => {
  const mode = defaultVoltVarMode('B');
  // qPu is load reference: injecting (low voltage) is negative, absorbing (high voltage) positive.
  it.each([
    [0.85, -0.44], // saturated beyond V1
    [0.92, -0.44], // V1
    [0.95, -0.22], // halfway V1..V2
    [0.98, 0], // V2: deadband edge
    [1.0, 0], // V_ref
    [1.02, 0], // V3: deadband edge
    [1.05, 0.22], // halfway V3..V4
    [1.08, 0.44], // V4
    [1.15, 0.44], // saturated beyond V4
  ])('V = %f pu gives qPu = %f', (vPu, qPu) => {
    expect(voltVarQPu(vPu, mode)).toBeCloseTo(qPu, 12);
  });
  it('Category A has no deadband and ±0.25 / ±0.1 pu slopes', () => {
    const a = defaultVoltVarMode('A');
    expect(voltVarQPu(1.0, a)).toBeCloseTo(0, 12);
    expect(voltVarQPu(0.95, a)).toBeCloseTo(-0.125, 12);
    expect(voltVarQPu(1.05, a)).toBeCloseTo(0.125, 12);
    expect(voltVarQPu(1.2, a)).toBeCloseTo(0.25, 12);
  });
  it('a moved V_ref shifts the curve', () => {
    expect(voltVarQPu(1.07, mode, 1.02)).toBeCloseTo(0.22, 12);
    expect(voltVarQPu(1.04, mode, 1.02)).toBeCloseTo(0, 12);
  });
  it('reactive priority reduces P to fit the kVA; active priority clips Q', () => {
    const reactive = reactivePowerCommand(mode, 1.1, -1, RATING, 'reactive');
    expect(reactive.qPu).toBeCloseTo(0.44, 12);
    expect(reactive.pPu).toBeCloseTo(-Math.sqrt(1 - 0.44 ** 2), 12);
    const active = reactivePowerCommand(mode, 1.1, -1, RATING, 'active');
    expect(active).toEqual({ pPu: -1, qPu: 0 });
    const partial = reactivePowerCommand(mode, 1.1, -0.95, RATING, 'active');
    expect(partial.qPu).toBeCloseTo(Math.sqrt(1 - 0.95 ** 2), 12);
  });
  it('clips to the reactive capability', () => {
    const small: InverterRating = { ...RATING, qMaxAbsorptionKvar: 2.5, qMaxInjectionKvar: 3 };
    expect(reactivePowerCommand(mode, 1.1, -0.5, small, 'reactive').qPu).toBeCloseTo(0.25, 12);
    expect(reactivePowerCommand(mode, 0.9, -0.5, small, 'reactive').qPu).toBeCloseTo(-0.3, 12);
    const clipped = limitToCapability(0, 2, RATING, 'reactive');
    expect(clipped.pPu).toBe(0);
    expect(clipped.qPu).toBeCloseTo(0.44, 12);
  });
});

describe('constant power factor', () => {
  const tan09 = Math.sqrt(1 - 0.81) / 0.9; // 0.484322
  /** P base 8 kW on a 10 kVA inverter, so Q = |P|·8·tanφ / 10 per unit of S. */
  const oversized = inverterRatingFor(B, 10, 8, 0);
  it.each([
    [-0.25, 0.25 * 0.8 * tan09],
    [-0.5, 0.5 * 0.8 * tan09],
    [-1, 0.8 * tan09],
    [0, 0],
  ])('injecting at pf 0.9 with P = %f pu gives Q = −%f', (pPu, qMagnitude) => {
    const q = constantPowerFactorQPu(pPu, { powerFactor: 0.9, excitation: 'injecting' }, oversized);
    expect(q).toBeCloseTo(-qMagnitude, 12);
    const command = reactivePowerCommand(
      { kind: 'constant-power-factor', powerFactor: 0.9, excitation: 'injecting', openLoopResponseTimeS: 10 },
      1,
      pPu,
      oversized,
      'reactive',
    );
    expect(command.pPu).toBeCloseTo(pPu, 12); // fits: 8 kW and 3.87 kvar within 10 kVA
  });
  it('absorbing gives positive Q; unity gives none', () => {
    expect(constantPowerFactorQPu(-0.5, { powerFactor: 0.95, excitation: 'absorbing' }, RATING)).toBeCloseTo(
      0.5 * 0.328684105,
      8,
    );
    expect(constantPowerFactorQPu(-0.5, { powerFactor: 1, excitation: 'absorbing' }, RATING)).toBe(0);
  });
  it('keeps the power factor at the kVA limit with reactive priority', () => {
    const mode = {
      kind: 'constant-power-factor' as const,
      powerFactor: 0.9,
      excitation: 'injecting' as const,
      openLoopResponseTimeS: 10,
    };
    const command = reactivePowerCommand(mode, 1, -1, RATING, 'reactive');
    expect(command.pPu).toBeCloseTo(-0.9, 12);
    expect(command.qPu).toBeCloseTo(-Math.sqrt(1 - 0.81), 12);
    expect(reactivePowerCommand(mode, 1, -1, RATING, 'active')).toEqual({ pPu: -1, qPu: 0 });
  });
});

describe('constant reactive power and watt-var', () => {
  it('constant Q maps injection to negative qPu', () => {
    expect(constantReactivePowerQPu({ qInjectionPu: 0.3 })).toBe(-0.3);
  });
  it('watt-var Category B for PV: 0 up to P2, −0.44 (absorbing) at P3', () => {
    const mode = defaultWattVarMode('B', false);
    expect(wattVarQPu(0, mode)).toBeCloseTo(0, 12);
    expect(wattVarQPu(-0.2, mode)).toBeCloseTo(0, 12);
    expect(wattVarQPu(-0.5, mode)).toBeCloseTo(0, 12);
    expect(wattVarQPu(-0.75, mode)).toBeCloseTo(0.22, 12);
    expect(wattVarQPu(-1, mode)).toBeCloseTo(0.44, 12);
    expect(wattVarQPu(-0.9, defaultWattVarMode('A', false))).toBeCloseTo(0.2, 12);
  });
  it('watt-var for storage injects while charging', () => {
    const mode = defaultWattVarMode('B', true);
    expect(wattVarQPu(0.75, mode)).toBeCloseTo(-0.22, 12);
    expect(wattVarQPu(1, mode)).toBeCloseTo(-0.44, 12);
    expect(wattVarQPu(0.3, mode)).toBeCloseTo(0, 12);
  });
});
