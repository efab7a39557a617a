/**
 * Enter-service, trip and ride-through checks of IEEE 1547-2018 (clauses 4.10, 6.4 and 6.5) as pure
 * predicates of the measured voltage and frequency (and, for trips, how long they have been out of range).
 * Over-limits trip when the value is strictly above the threshold and under-limits when strictly below,
 * matching the ride-through tables' band edges (e.g. "V > 1.20 pu: cease to energize").
 */
import {
  DEFAULT_ENTER_SERVICE,
  DEFAULT_FREQUENCY_TRIP,
  DEFAULT_VOLTAGE_TRIP,
  type AbnormalPerformanceCategory,
  type EnterServiceSettings,
  type FrequencyTripSettings,
  type VoltageTripSettings,
} from './ieee1547-defaults.js';

/** Clause 4.10.2: voltage and frequency inside the enter-service window (inclusive). */
export function mayEnterService(
  vPu: number,
  frequencyHz: number,
  settings: EnterServiceSettings = DEFAULT_ENTER_SERVICE,
): boolean {
  return (
    vPu >= settings.minVoltagePu &&
    vPu <= settings.maxVoltagePu &&
    frequencyHz >= settings.minFrequencyHz &&
    frequencyHz <= settings.maxFrequencyHz
  );
}

/** Clause 6.4.1: has a voltage trip setting's clearing time elapsed for a voltage held for `durationS`? */
export function isVoltageTripDue(
  vPu: number,
  durationS: number,
  settings: VoltageTripSettings = DEFAULT_VOLTAGE_TRIP.II,
): boolean {
  const { ov1, ov2, uv1, uv2 } = settings;
  return (
    (vPu > ov2.thresholdPu && durationS >= ov2.clearingTimeS) ||
    (vPu > ov1.thresholdPu && durationS >= ov1.clearingTimeS) ||
    (vPu < uv1.thresholdPu && durationS >= uv1.clearingTimeS) ||
    (vPu < uv2.thresholdPu && durationS >= uv2.clearingTimeS) ||
    !Number.isFinite(vPu)
  );
}

/** Clause 6.5.1: has a frequency trip setting's clearing time elapsed? */
export function isFrequencyTripDue(
  frequencyHz: number,
  durationS: number,
  settings: FrequencyTripSettings = DEFAULT_FREQUENCY_TRIP,
): boolean {
  const { of1, of2, uf1, uf2 } = settings;
  return (
    (frequencyHz > of2.thresholdHz && durationS >= of2.clearingTimeS) ||
    (frequencyHz > of1.thresholdHz && durationS >= of1.clearingTimeS) ||
    (frequencyHz < uf1.thresholdHz && durationS >= uf1.clearingTimeS) ||
    (frequencyHz < uf2.thresholdHz && durationS >= uf2.clearingTimeS) ||
    !Number.isFinite(frequencyHz)
  );
}

export type RideThroughOperation =
  'continuous' | 'mandatory' | 'permissive' | 'momentary-cessation' | 'cease-to-energize';

export interface RideThroughRegion {
  readonly operation: RideThroughOperation;
  /** Minimum ride-through time in the band (Infinity for continuous operation, 0 where it ceases). */
  readonly minTimeS: number;
}

const CONTINUOUS: RideThroughRegion = { operation: 'continuous', minTimeS: Number.POSITIVE_INFINITY };
const CEASE: RideThroughRegion = { operation: 'cease-to-energize', minTimeS: 0 };

/**
 * Clause 6.4.2, Tables 15–17: the voltage ride-through band of vPu. The Category III labels
 * 'momentary-cessation' for 1.10–1.20 pu and below 0.50 pu are not confirmed by a source file (see the
 * fixture's modeVerified = false); their times are.
 */
export function voltageRideThroughRegion(
  vPu: number,
  category: AbnormalPerformanceCategory,
): RideThroughRegion {
  if (!Number.isFinite(vPu) || vPu > 1.2) return CEASE;
  if (category === 'III') {
    if (vPu > 1.1) return { operation: 'momentary-cessation', minTimeS: 12 };
    if (vPu >= 0.88) return CONTINUOUS;
    if (vPu >= 0.7) return { operation: 'mandatory', minTimeS: 20 };
    if (vPu >= 0.5) return { operation: 'mandatory', minTimeS: 10 };
    return { operation: 'momentary-cessation', minTimeS: 1 };
  }
  if (vPu > 1.175) return { operation: 'permissive', minTimeS: 0.2 };
  if (vPu > 1.15) return { operation: 'permissive', minTimeS: 0.5 };
  if (vPu > 1.1) return { operation: 'permissive', minTimeS: 1 };
  if (vPu >= 0.88) return CONTINUOUS;
  if (category === 'I') {
    if (vPu >= 0.7) return { operation: 'mandatory', minTimeS: 0.7 + 4 * (vPu - 0.7) };
    if (vPu >= 0.5) return { operation: 'permissive', minTimeS: 0.16 };
    return CEASE;
  }
  if (vPu >= 0.65) return { operation: 'mandatory', minTimeS: 3 + 8.7 * (vPu - 0.65) };
  if (vPu >= 0.45) return { operation: 'permissive', minTimeS: 0.32 };
  if (vPu >= 0.3) return { operation: 'permissive', minTimeS: 0.16 };
  return CEASE;
}

/**
 * Clause 6.5.2, Table 19 for 57.0–61.8 Hz (the same for all categories). Outside that range the bands
 * differ by category and are not in the fixture; the DER is left to its trip settings there, so this
 * returns cease-to-energize beyond the OF2/UF2 trip settings and 'permissive' between.
 */
export function frequencyRideThroughRegion(
  frequencyHz: number,
  trip: FrequencyTripSettings = DEFAULT_FREQUENCY_TRIP,
): RideThroughRegion {
  if (!Number.isFinite(frequencyHz)) return CEASE;
  if (frequencyHz >= 58.8 && frequencyHz <= 61.2) return CONTINUOUS;
  if (frequencyHz >= 57 && frequencyHz <= 61.8) return { operation: 'mandatory', minTimeS: 299 };
  if (frequencyHz > trip.of2.thresholdHz || frequencyHz < trip.uf2.thresholdHz) return CEASE;
  return { operation: 'permissive', minTimeS: 0 };
}

/** True where the DER must not deliver current: outside the ride-through regions or in momentary cessation. */
export function mustCeaseToEnergize(
  vPu: number,
  frequencyHz: number,
  category: AbnormalPerformanceCategory,
  frequencyTrip: FrequencyTripSettings = DEFAULT_FREQUENCY_TRIP,
): boolean {
  const voltage = voltageRideThroughRegion(vPu, category).operation;
  const frequency = frequencyRideThroughRegion(frequencyHz, frequencyTrip).operation;
  return (
    voltage === 'cease-to-energize' || voltage === 'momentary-cessation' || frequency === 'cease-to-energize'
  );
}
