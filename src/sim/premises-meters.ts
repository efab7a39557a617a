/**
 * Records what a utility's interval meters would: each premises' net energy per hour, the PV generation
 * behind each meter per hour, and the hour's mean outdoor temperature. M&V baselines and forecasts work
 * from this hourly data only, as they would in the field.
 */
import { MS_PER_HOUR, slotDurationHours, type TimeSlot } from '../core/time.js';
import type { WeatherSnapshot } from '../der/types.js';
import type { SlotReport } from '../engine/transactive-cycle.js';
import type { PremisesMeters } from './results.js';

export class PremisesMetersRecorder {
  private readonly netLoadKwh: Float32Array;
  private readonly pvKwh: Float32Array;
  private readonly tempSumF: Float64Array;
  private readonly tempWeightH: Float64Array;
  constructor(
    private readonly startMs: number,
    private readonly hours: number,
    private readonly premises: number,
  ) {
    this.netLoadKwh = new Float32Array(premises * hours);
    this.pvKwh = new Float32Array(premises * hours);
    this.tempSumF = new Float64Array(hours);
    this.tempWeightH = new Float64Array(hours);
  }

  /**
   * `during` is the weather the devices stepped through (mid-slot); `pvGenerationKw` each premises' PV
   * generation in the slot (the KPI accumulator's, so the devices are walked once per slot).
   */
  record(report: SlotReport, during: WeatherSnapshot, pvGenerationKw: ArrayLike<number>): void {
    const slot: TimeSlot = report.slot;
    const hour = Math.floor((slot.startMs - this.startMs) / MS_PER_HOUR);
    if (hour < 0 || hour >= this.hours) return;
    const slotHours = slotDurationHours(slot);
    const { premises, hours, netLoadKwh, pvKwh } = this;
    for (let p = 0; p < premises; p++) {
      const at = p * hours + hour;
      netLoadKwh[at] = (netLoadKwh[at] ?? 0) + (report.premisesLoadKw[p] ?? 0) * slotHours;
      pvKwh[at] = (pvKwh[at] ?? 0) + (pvGenerationKw[p] ?? 0) * slotHours;
    }
    const tempF = (during.outdoorTempC * 9) / 5 + 32;
    this.tempSumF[hour] = (this.tempSumF[hour] ?? 0) + tempF * slotHours;
    this.tempWeightH[hour] = (this.tempWeightH[hour] ?? 0) + slotHours;
  }

  finish(): PremisesMeters {
    const outdoorTempF = new Float64Array(this.hours);
    for (let h = 0; h < this.hours; h++) {
      const weightH = this.tempWeightH[h] ?? 0;
      outdoorTempF[h] = weightH > 0 ? (this.tempSumF[h] ?? 0) / weightH : Number.NaN;
    }
    return {
      startMs: this.startMs,
      hours: this.hours,
      premises: this.premises,
      netLoadKwh: this.netLoadKwh,
      pvKwh: this.pvKwh,
      outdoorTempF,
    };
  }
}
