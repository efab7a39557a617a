import { describe, expect, it } from 'vitest';
import {
  DEFAULT_INVERTER_FUNCTIONS,
  defaultFrequencyDroop,
  defaultVoltVarMode,
  defaultVoltWatt,
  defaultWattVarMode,
  inverterRatingFor,
  type InverterFunctions,
  type VoltVarMode,
} from './inverter-settings.js';
import { validateInverterFunctions } from './inverter-settings-validation.js';

const pvRating = inverterRatingFor({ normalCategory: 'B' }, 10, 10, 0);
const batteryRating = inverterRatingFor({ normalCategory: 'B' }, 5, 5, 5);
const voltVarB = defaultVoltVarMode('B');

function firstError(functions: Partial<InverterFunctions>, rating = pvRating) {
  const errors = validateInverterFunctions({ ...DEFAULT_INVERTER_FUNCTIONS, ...functions }, rating);
  return errors[0] === undefined ? undefined : { code: errors[0].code, path: errors[0].path };
}

function withPoint(index: number, change: Partial<VoltVarMode['points'][0]>): VoltVarMode {
  return {
    ...voltVarB,
    points: voltVarB.points.map((point, i) => (i === index ? { ...point, ...change } : point)),
  };
}

describe('inverter settings validation', () => {
  it('accepts a rating at exactly the category minimum however the kVA rounds (0.44 × 10.3 / 10.3)', () => {
    for (const sRatedKva of [10.3, 7.3, 3.84, 1.1]) {
      const rating = inverterRatingFor({ normalCategory: 'B' }, sRatedKva, sRatedKva, 0);
      expect(validateInverterFunctions(DEFAULT_INVERTER_FUNCTIONS, rating), `${sRatedKva} kVA`).toEqual([]);
      const fullVoltVar = { ...DEFAULT_INVERTER_FUNCTIONS, reactive: defaultVoltVarMode('B') };
      expect(validateInverterFunctions(fullVoltVar, rating), `${sRatedKva} kVA, volt-var`).toEqual([]);
    }
  });

  it('accepts the IEEE 1547 defaults for PV and storage', () => {
    for (const category of ['A', 'B'] as const) {
      const rating = inverterRatingFor({ normalCategory: category }, 10, 10, 0);
      for (const reactive of [defaultVoltVarMode(category), defaultWattVarMode(category, false)]) {
        expect(
          validateInverterFunctions(
            {
              ...DEFAULT_INVERTER_FUNCTIONS,
              normalCategory: category,
              reactive,
              voltWatt: defaultVoltWatt(false),
              frequencyDroop: defaultFrequencyDroop(),
            },
            rating,
          ),
        ).toEqual([]);
      }
    }
    expect(
      validateInverterFunctions(
        {
          ...DEFAULT_INVERTER_FUNCTIONS,
          reactive: defaultWattVarMode('B', true),
          voltWatt: {
            ...defaultVoltWatt(true),
            points: [
              { vPu: 1.06, pGenerationPu: 1 },
              { vPu: 1.1, pGenerationPu: -1 },
            ],
          },
          frequencyDroop: defaultFrequencyDroop(-1),
        },
        batteryRating,
      ),
    ).toEqual([]);
  });

  it('rejects non-monotone curves with TE_ERR_DER_CURVE naming the point', () => {
    expect(firstError({ reactive: withPoint(2, { vPu: 0.97 }) })).toEqual({
      code: 'TE_ERR_DER_CURVE',
      path: 'inverter.reactive.points[2].vPu',
    });
    expect(firstError({ reactive: withPoint(1, { qInjectionPu: 0.5 }) })).toEqual({
      code: 'TE_ERR_DER_PARAMETER', // 0.5 exceeds the 0.44 capability before the shape is checked
      path: 'inverter.reactive.points[1].qInjectionPu',
    });
    expect(firstError({ reactive: withPoint(2, { qInjectionPu: 0.1 }) })).toEqual({
      code: 'TE_ERR_DER_CURVE',
      path: 'inverter.reactive.points[2].qInjectionPu',
    });
    expect(
      firstError({
        voltWatt: {
          ...defaultVoltWatt(false),
          points: [
            { vPu: 1.08, pGenerationPu: 1 },
            { vPu: 1.07, pGenerationPu: 0 },
          ],
        },
      }),
    ).toEqual({ code: 'TE_ERR_DER_CURVE', path: 'inverter.voltWatt.points[1].vPu' });
    const wattVar = defaultWattVarMode('B', false);
    expect(
      firstError({
        reactive: { ...wattVar, points: [wattVar.points[1]!, wattVar.points[0]!, wattVar.points[2]!] },
      }),
    ).toEqual({ code: 'TE_ERR_DER_CURVE', path: 'inverter.reactive.points[1].pGenerationPu' });
    expect(firstError({ reactive: { ...voltVarB, points: voltVarB.points.slice(0, 3) } })?.code).toBe(
      'TE_ERR_DER_CURVE',
    );
  });

  it.each([
    [{ reactive: { ...voltVarB, vrefPu: 1.1 } }, 'inverter.reactive.vrefPu'],
    [{ reactive: withPoint(0, { vPu: 0.8 }) }, 'inverter.reactive.points[0].vPu'], // below V_ref − 0.18
    [{ reactive: withPoint(1, { vPu: 0.96 }) }, 'inverter.reactive.points[1].vPu'], // V2 below V_ref − 0.03
    [{ reactive: withPoint(3, { vPu: 1.03 }) }, 'inverter.reactive.points[3].vPu'], // V4 within 0.02 of V3
    [{ reactive: { ...voltVarB, openLoopResponseTimeS: 0.5 } }, 'inverter.reactive.openLoopResponseTimeS'],
    [
      { reactive: { ...voltVarB, vrefAdjustment: { enabled: true, timeConstantS: 60 } } },
      'inverter.reactive.vrefAdjustment.timeConstantS',
    ],
    [
      {
        reactive: {
          kind: 'constant-power-factor',
          powerFactor: 0.85,
          excitation: 'injecting',
          openLoopResponseTimeS: 10,
        },
      },
      'inverter.reactive.powerFactor',
    ],
    [
      { reactive: { kind: 'constant-reactive-power', qInjectionPu: 0.6, openLoopResponseTimeS: 10 } },
      'inverter.reactive.qInjectionPu',
    ],
    [
      {
        reactive: {
          ...defaultWattVarMode('B', false),
          points: [
            { pGenerationPu: 0.2, qInjectionPu: 0 },
            { pGenerationPu: 0.3, qInjectionPu: 0 },
            { pGenerationPu: 1, qInjectionPu: -0.44 },
          ],
        },
      },
      'inverter.reactive.points[1].pGenerationPu',
    ],
    [
      {
        voltWatt: {
          ...defaultVoltWatt(false),
          points: [
            { vPu: 1.04, pGenerationPu: 1 },
            { vPu: 1.1, pGenerationPu: 0 },
          ],
        },
      },
      'inverter.voltWatt.points[0].vPu',
    ],
    [
      {
        voltWatt: {
          ...defaultVoltWatt(false),
          points: [
            { vPu: 1.06, pGenerationPu: 1 },
            { vPu: 1.1, pGenerationPu: -0.5 },
          ],
        },
      },
      'inverter.voltWatt.points[1].pGenerationPu',
    ], // PV cannot absorb
    [{ frequencyDroop: { ...defaultFrequencyDroop(), kOf: 0.02 } }, 'inverter.frequencyDroop.kOf'],
    [{ frequencyDroop: { ...defaultFrequencyDroop(), dbUfHz: 0.01 } }, 'inverter.frequencyDroop.dbUfHz'],
    [{ qMaxAbsorptionPu: 0.3 }, 'inverter.rating.qMaxAbsorptionKvar'],
  ] as [Partial<InverterFunctions>, string][])('rejects %j at %s', (functions, path) => {
    const rating = inverterRatingFor({ ...DEFAULT_INVERTER_FUNCTIONS, ...functions }, 10, 10, 0);
    expect(firstError(functions, rating)).toEqual({ code: 'TE_ERR_DER_PARAMETER', path });
  });

  it('uses each category’s own limits', () => {
    const absorbing95 = {
      kind: 'constant-power-factor',
      powerFactor: 0.95,
      excitation: 'absorbing',
      openLoopResponseTimeS: 10,
    } as const;
    expect(firstError({ reactive: absorbing95 })).toBeUndefined();
    const ratingA = inverterRatingFor({ normalCategory: 'A' }, 10, 10, 0);
    expect(firstError({ normalCategory: 'A', reactive: absorbing95 }, ratingA)?.path).toBe(
      'inverter.reactive.powerFactor',
    );
    expect(
      firstError({ abnormalCategory: 'III', frequencyDroop: { ...defaultFrequencyDroop(), kOf: 0.02 } }),
    ).toBeUndefined();
    expect(
      firstError(
        { normalCategory: 'A', qMaxAbsorptionPu: 0.3 },
        inverterRatingFor({ normalCategory: 'A', qMaxAbsorptionPu: 0.3 }, 10, 10, 0),
      ),
    ).toBeUndefined();
  });
});
