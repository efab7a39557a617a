import { describe, expect, it } from 'vitest';
import { createBattery, DEFAULT_BATTERY_PARAMS } from '../battery.js';
import { createPv, DEFAULT_PV_PARAMS } from '../pv.js';
import type { WeatherSnapshot } from '../types.js';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  defaultVoltVarMode,
  defaultVoltWatt,
  defaultWattVarMode,
} from './inverter-settings.js';

/** Sun straight onto a flat array, cool: the 5 kVA default inverter clips at 5 kW. */
const NOON: WeatherSnapshot = {
  timeMs: 0,
  outdoorTempC: 0,
  ghiWm2: 1000,
  dniWm2: 900,
  dhiWm2: 100,
  windSpeedMps: 1,
  solarZenithDeg: 0,
  solarAzimuthDeg: 180,
};
const slot = { startMs: 0, endMs: 3_600_000 };

describe('grid support of the DER agents', () => {
  it('PV without inverter functions keeps unity power factor and its output', () => {
    const pv = createPv('pv', { ...DEFAULT_PV_PARAMS, tiltDeg: 0 }, 'baseline');
    const powerKw = pv.step(NOON, 0, 300);
    expect(powerKw).toBe(-5);
    expect(pv.gridSupport(1.09)).toEqual({ pKw: -5, qKvar: 0, curtailedKw: 0 });
  });

  it('PV with volt-var and volt-watt absorbs Q and curtails at high voltage', () => {
    const pv = createPv(
      'pv',
      {
        ...DEFAULT_PV_PARAMS,
        tiltDeg: 0,
        inverter: {
          ...DEFAULT_INVERTER_FUNCTIONS,
          reactive: defaultVoltVarMode('B'),
          voltWatt: defaultVoltWatt(false),
        },
      },
      'baseline',
    );
    pv.step(NOON, 0, 300);
    const atNominal = pv.gridSupport(1.0);
    expect(atNominal).toEqual({ pKw: -5, qKvar: 0, curtailedKw: 0 });
    // 1.05 pu: Q = +0.22 × 5 kVA absorbed; reactive priority leaves √(1 − 0.22²) × 5 kW.
    const at105 = pv.gridSupport(1.05);
    expect(at105.qKvar).toBeCloseTo(1.1, 9);
    expect(at105.pKw).toBeCloseTo(-5 * Math.sqrt(1 - 0.22 ** 2), 9);
    // 1.08 pu: volt-watt limits output to 2.5 kW; volt-var absorbs 0.44 × 5 kVA.
    const at108 = pv.gridSupport(1.08);
    expect(at108.pKw).toBeCloseTo(-2.5, 9);
    expect(at108.qKvar).toBeCloseTo(2.2, 9);
    expect(at108.curtailedKw).toBeCloseTo(2.5, 9);
  });

  it('rejects invalid inverter settings when the PV is created', () => {
    expect(() =>
      createPv(
        'pv',
        {
          ...DEFAULT_PV_PARAMS,
          inverter: { ...DEFAULT_INVERTER_FUNCTIONS, reactive: { ...defaultVoltVarMode('B'), vrefPu: 1.2 } },
        },
        'baseline',
      ),
    ).toThrow(expect.objectContaining({ code: 'TE_ERR_DER_PARAMETER', path: 'inverter.reactive.vrefPu' }));
  });

  it('battery with watt-var injects while charging and keeps its market behaviour', () => {
    const battery = createBattery(
      'b',
      {
        ...DEFAULT_BATTERY_PARAMS,
        inverter: { ...DEFAULT_INVERTER_FUNCTIONS, reactive: defaultWattVarMode('B', true) },
      },
      'transactive',
    );
    battery.dispatch({ slot, clearingPricePerKwh: 0.1, awardedKw: 5, marginalShare: 1 });
    expect(battery.step(NOON, 0, 60)).toBe(5);
    const response = battery.gridSupport(1.0);
    // Charging at 5 kW = 1 pu of P_rated: Q'3 = 0.44 injection, i.e. −2.2 kvar in the load reference.
    expect(response.qKvar).toBeCloseTo(-2.2, 9);
    expect(response.pKw).toBeCloseTo(5 * Math.sqrt(1 - 0.44 ** 2), 9);
    const plain = createBattery('b', DEFAULT_BATTERY_PARAMS, 'transactive');
    plain.dispatch({ slot, clearingPricePerKwh: 0.1, awardedKw: 5, marginalShare: 1 });
    plain.step(NOON, 0, 60);
    expect(plain.gridSupport(1.1)).toEqual({ pKw: 5, qKvar: 0, curtailedKw: 0 });
  });
});
