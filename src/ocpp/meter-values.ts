/**
 * OCPP meter values to settlement readings. A station reports its energy register (a running total);
 * settlement wants the energy of each interval, so a reading is the difference between two register
 * samples, starting at the earlier one's time. Registers are rounded to whole Wh before the difference,
 * so the readings of consecutive intervals add up to the register's own difference without drift.
 */
import type { MeterReading } from '../store/meter-reading-repository.js';

/** The subset of OCPP 2.0.1 MeterValueType this module reads (the schema has already checked it). */
export interface OcppMeterValue {
  readonly timestamp: string;
  readonly sampledValue: readonly {
    readonly value: number;
    readonly measurand?: string;
    readonly phase?: string;
    readonly unitOfMeasure?: { readonly unit?: string; readonly multiplier?: number };
  }[];
}

export interface RegisterSample {
  readonly timeMs: number;
  readonly wh: number;
}

const REGISTER = 'Energy.Active.Import.Register';

/** The whole-station import register samples, in time order; phase values and other measurands are skipped. */
export function registerSamples(meterValues: readonly OcppMeterValue[]): RegisterSample[] {
  const samples: RegisterSample[] = [];
  for (const meterValue of meterValues) {
    const timeMs = Date.parse(meterValue.timestamp);
    if (!Number.isSafeInteger(timeMs)) continue;
    for (const sampled of meterValue.sampledValue) {
      // The measurand defaults to the import register and the unit to Wh (OCPP 2.0.1 part 2, 2.42/2.51).
      if ((sampled.measurand ?? REGISTER) !== REGISTER || sampled.phase !== undefined) continue;
      const unit = sampled.unitOfMeasure?.unit ?? 'Wh';
      const scale = unit === 'kWh' ? 1_000 : unit === 'Wh' ? 1 : undefined;
      if (scale === undefined) continue;
      const wh = Math.round(sampled.value * scale * 10 ** (sampled.unitOfMeasure?.multiplier ?? 0));
      if (Number.isSafeInteger(wh)) samples.push({ timeMs, wh });
    }
  }
  return samples.sort((a, b) => a.timeMs - b.timeMs);
}

export interface ReadingsFromRegister {
  readonly readings: MeterReading[];
  /** The register after these samples (unchanged when none was newer). */
  readonly last: RegisterSample | undefined;
}

/**
 * Readings between consecutive samples after `last`. Samples at or before `last` are resends and add
 * nothing; a register that goes down (a replaced meter, a counter reset) starts a new baseline instead of
 * producing negative energy an EV charger cannot export.
 */
export function readingsFromRegister(
  meterId: string,
  last: RegisterSample | undefined,
  samples: readonly RegisterSample[],
): ReadingsFromRegister {
  const readings: MeterReading[] = [];
  let previous = last;
  for (const sample of samples) {
    if (previous !== undefined && sample.timeMs <= previous.timeMs) continue;
    if (previous !== undefined && sample.wh >= previous.wh) {
      readings.push({ meterId, timeMs: previous.timeMs, energyWh: sample.wh - previous.wh });
    }
    previous = sample;
  }
  return { readings, last: previous };
}
