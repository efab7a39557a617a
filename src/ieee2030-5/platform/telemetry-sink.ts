/**
 * 2030.5 telemetry as settlement readings: each interval a device mirrors becomes readings on its
 * participant's meter (meter id = participant id, as OCPP stations and `POST /api/meter-readings` write
 * the premises meter), in one transaction. Settlement counts a reading in the slot that contains its start,
 * so an interval that crosses a slot boundary of any market is split there, its energy shared by duration
 * in whole Wh that add up to the rounded total. An interval's import and export (2030.5 mirrors each flow
 * direction apart) are netted into one reading, since readings are keyed by (meter, time); they must come in
 * one request. A resend writes the same keys and is dropped as a duplicate, not refused.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import { insertMeterReadingsIn, type MeterReading } from '../../store/meter-reading-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import { retryOnConflict } from '../../store/store-errors.js';
import type { SepDevice, SepTelemetryReading, SepTelemetrySink } from '../server/registry.js';

/** One day: the longest interval taken (a daily register reading); longer ones are refused. */
export const MAX_TELEMETRY_INTERVAL_S = 86_400;
/** How far in the future an interval may end: clock skew between a device and the server. */
export const TELEMETRY_FUTURE_TOLERANCE_MS = 300_000;
const MAX_ENERGY_WH = 1e12;
/** Markets (and so slot lengths) change rarely; they are read again after this long. */
const SLOT_LENGTHS_TTL_MS = 60_000;

export interface TelemetryOutcome {
  readonly received: number;
  readonly inserted: number;
}

export interface PlatformTelemetrySinkOptions {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  /** After each stored batch (counts for logs and tests). */
  readonly onStored?: (device: SepDevice, outcome: TelemetryOutcome) => void;
}

export class PlatformSepTelemetrySink implements SepTelemetrySink {
  readonly #options: PlatformTelemetrySinkOptions;
  #slotLengths: { readonly ms: readonly number[]; readonly readAtMs: number } | undefined;

  constructor(options: PlatformTelemetrySinkOptions) {
    this.#options = options;
  }

  async record(device: SepDevice, readings: readonly SepTelemetryReading[]): Promise<void> {
    const meterId = device.participantId;
    if (meterId === undefined) {
      throw new TeError('TE_ERR_FORBIDDEN', `device ${device.id} has no participant whose meter it reports`, {
        hint: 'register the device with a participantId (POST /api/sep/devices)',
      });
    }
    const nowMs = this.#options.clock.nowMs();
    readings.forEach((reading, k) => checkReading(reading, k, nowMs));
    const slotLengths = await this.#slotLengthsMs();
    const rows = netPerStart(
      distinctReadings(readings).flatMap((r) => slotAlignedReadings(meterId, r, slotLengths)),
    );
    const inserted =
      rows.length === 0
        ? 0
        : await retryOnConflict(() =>
            this.#options.db.transaction().execute((trx) => insertMeterReadingsIn(trx, rows)),
          );
    this.#options.onStored?.(device, { received: rows.length, inserted });
  }

  async #slotLengthsMs(): Promise<readonly number[]> {
    const now = Date.now();
    if (this.#slotLengths !== undefined && now - this.#slotLengths.readAtMs < SLOT_LENGTHS_TTL_MS)
      return this.#slotLengths.ms;
    const rows = await this.#options.db.selectFrom('markets').select('slot_duration_ms').execute();
    const ms = [...new Set(rows.map((r) => Number(r.slot_duration_ms)).filter((d) => d > 0))];
    this.#slotLengths = { ms, readAtMs: now };
    return ms;
  }
}

function checkReading(reading: SepTelemetryReading, k: number, nowMs: number): void {
  const path = `readings[${k}]`;
  if (!Number.isSafeInteger(reading.startS) || reading.startS < 0)
    throw invalid(`${path}.startS`, 'an interval start is whole seconds since the epoch');
  if (
    !Number.isSafeInteger(reading.durationS) ||
    reading.durationS <= 0 ||
    reading.durationS > MAX_TELEMETRY_INTERVAL_S
  )
    throw invalid(`${path}.durationS`, `an interval lasts 1 to ${MAX_TELEMETRY_INTERVAL_S} whole seconds`);
  if (!Number.isFinite(reading.energyWh) || Math.abs(reading.energyWh) > MAX_ENERGY_WH)
    throw invalid(`${path}.energyWh`, 'energy must be a finite number of Wh within ±1e12');
  if ((reading.startS + reading.durationS) * 1000 > nowMs + TELEMETRY_FUTURE_TOLERANCE_MS)
    throw invalid(
      `${path}.startS`,
      'the interval ends in the future',
      "set the device's clock from the server's Time resource",
    );
}

/**
 * The same interval in the same direction twice in one request (a reading repeated in a list) counts once.
 * Import and export of one interval are different readings (2030.5 mirrors each flow direction apart).
 */
function distinctReadings(readings: readonly SepTelemetryReading[]): SepTelemetryReading[] {
  const seen = new Set<string>();
  return readings.filter((r) => {
    const direction = r.energyWh < 0 ? 'export' : 'import';
    const key = `${r.mirrorUsagePointMRID}|${r.startS}|${r.durationS}|${direction}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * One reading per start time: the meter's readings are keyed by (meter, time), so an interval's import and
 * export (sent as two MirrorMeterReadings) become their net, not the first of the two.
 */
function netPerStart(readings: readonly MeterReading[]): MeterReading[] {
  const byStart = new Map<number, MeterReading>();
  for (const r of readings) {
    const earlier = byStart.get(r.timeMs);
    byStart.set(r.timeMs, earlier === undefined ? r : { ...r, energyWh: earlier.energyWh + r.energyWh });
  }
  return [...byStart.values()];
}

/**
 * The reading as one or more readings that each lie within one slot of every market: cut at each slot
 * boundary inside the interval, energy shared by duration (largest remainders, so the parts add up).
 */
export function slotAlignedReadings(
  meterId: string,
  reading: Pick<SepTelemetryReading, 'startS' | 'durationS' | 'energyWh'>,
  slotLengthsMs: readonly number[],
): MeterReading[] {
  const startMs = reading.startS * 1000;
  const endMs = startMs + reading.durationS * 1000;
  const cuts = new Set<number>([startMs]);
  for (const slotMs of slotLengthsMs) {
    for (let at = (Math.floor(startMs / slotMs) + 1) * slotMs; at < endMs; at += slotMs) cuts.add(at);
  }
  const starts = [...cuts].sort((a, b) => a - b);
  const totalWh = Math.round(reading.energyWh);
  const parts = starts.map((from, k) => {
    const to = starts[k + 1] ?? endMs;
    const exact = (totalWh * (to - from)) / (endMs - startMs);
    return { from, exact, whole: Math.trunc(exact) };
  });
  let rest = totalWh - parts.reduce((sum, p) => sum + p.whole, 0);
  const step = Math.sign(rest);
  const byRemainder = [...parts].sort((a, b) => step * (b.exact - b.whole - (a.exact - a.whole)));
  for (const part of byRemainder) {
    if (rest === 0) break;
    part.whole += step;
    rest -= step;
  }
  return parts.map((p) => ({ meterId, timeMs: p.from, energyWh: p.whole === 0 ? 0 : p.whole }));
}

function invalid(path: string, message: string, hint?: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, { path, ...(hint === undefined ? {} : { hint }) });
}
