import { describe, expect, it } from 'vitest';
import { readingsFromRegister, registerSamples } from './meter-values.js';

const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 0, minutes)).toISOString();
const ms = (minutes: number) => Date.UTC(2026, 0, 1, 0, minutes);

describe('OCPP meter values to readings', () => {
  it('takes the whole-station import register in Wh, scaling kWh and the multiplier, skipping phases and other measurands', () => {
    expect(
      registerSamples([
        {
          timestamp: at(15),
          sampledValue: [
            { value: 2.5, unitOfMeasure: { unit: 'kWh' } },
            { value: 1, measurand: 'Energy.Active.Import.Register', phase: 'L1' },
            { value: 7, measurand: 'Power.Active.Import' },
          ],
        },
        { timestamp: at(0), sampledValue: [{ value: 12, unitOfMeasure: { unit: 'Wh', multiplier: 2 } }] },
        { timestamp: at(30), sampledValue: [{ value: 5, unitOfMeasure: { unit: 'varh' } }] },
      ]),
    ).toEqual([
      { timeMs: ms(0), wh: 1_200 },
      { timeMs: ms(15), wh: 2_500 },
    ]);
  });

  it('makes a reading per interval from register differences, ignores resends and restarts the baseline after a reset', () => {
    const samples = [
      { timeMs: ms(0), wh: 100 },
      { timeMs: ms(15), wh: 400 },
      { timeMs: ms(15), wh: 400 },
      { timeMs: ms(30), wh: 50 },
      { timeMs: ms(45), wh: 80 },
    ];
    expect(readingsFromRegister('m', undefined, samples)).toEqual({
      readings: [
        { meterId: 'm', timeMs: ms(0), energyWh: 300 },
        { meterId: 'm', timeMs: ms(30), energyWh: 30 },
      ],
      last: { timeMs: ms(45), wh: 80 },
    });
    // Continuing from a stored register: only newer samples count.
    expect(readingsFromRegister('m', { timeMs: ms(15), wh: 400 }, samples.slice(0, 3)).readings).toEqual([]);
  });
});
