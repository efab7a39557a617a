/**
 * A VEN's metering report and the meter readings it means. A report resource named after a meter (a
 * premises meter has its participant's id; a device meter the device's id) carries one interval per
 * reading: USAGE is the energy through the meter over the interval (KWH by default, or WH), DEMAND the
 * average power (KW by default, or W) and counts only where the interval has no USAGE. Import positive,
 * export negative (docs/conventions.md). Other payload types are the report's business, not readings.
 */
import { TeError } from '../../core/errors.js';
import { err, ok, type Result } from '../../core/result.js';
import type { ReportRequest } from '../schemas/objects.js';
import { isoDurationOfMs, msOfIsoDuration } from './slot-durations.js';

/** Readings one report may carry, as many as one REST batch (POST /api/meter-readings). */
export const MAX_REPORT_READINGS = 10_000;
/** The REST API's bound on one reading. */
const MAX_ABS_ENERGY_WH = 1e12;
const MAX_INTERVAL_MS = 86_400_000;

const ENERGY_WH_PER_UNIT: Readonly<Record<string, number>> = { KWH: 1000, WH: 1 };
const POWER_W_PER_UNIT: Readonly<Record<string, number>> = { KW: 1000, W: 1 };

export interface UsageInterval {
  readonly startMs: number;
  readonly durationMs: number;
  /** Energy through the meter over the interval, Wh, import positive. */
  readonly energyWh: number;
}

export interface UsageReportInput {
  readonly eventID: string;
  /** The VEN's name for itself (the spec's clientName). */
  readonly clientName: string;
  readonly reportName?: string;
  /** The meter the readings are of: the participant id for a premises meter. */
  readonly meterId: string;
  readonly intervals: readonly UsageInterval[];
}

/** A report request carrying readings as USAGE in kWh, one interval each with its own period. */
export function usageReportBody(input: UsageReportInput): ReportRequest {
  return {
    eventID: input.eventID,
    clientName: input.clientName,
    reportName: input.reportName ?? `usage:${input.meterId}`,
    payloadDescriptors: [
      {
        objectType: 'REPORT_PAYLOAD_DESCRIPTOR',
        payloadType: 'USAGE',
        readingType: 'DIRECT_READ',
        units: 'KWH',
      },
    ],
    resources: [
      {
        resourceName: input.meterId,
        intervals: input.intervals.map((interval, id) => ({
          id,
          intervalPeriod: {
            start: new Date(interval.startMs).toISOString(),
            duration: isoDurationOfMs(interval.durationMs),
          },
          payloads: [{ type: 'USAGE', values: [interval.energyWh / 1000] }],
        })),
      },
    ],
  };
}

export interface ReportReading {
  /** The resource's name: the VTN maps it to a meter (report-readings.ts). */
  readonly meterId: string;
  readonly timeMs: number;
  readonly durationMs: number;
  readonly energyWh: number;
  /** Where in the report, for error messages. */
  readonly path: string;
}

type ReportLike = Pick<ReportRequest, 'payloadDescriptors' | 'resources'>;
type Period = { readonly start?: string; readonly duration?: string } | undefined;

/**
 * The meter readings a report carries (empty when it has no USAGE or DEMAND, or no start time for them:
 * such intervals are report only), or a validation error
 * naming the first bad value: a value that is not one finite number, an unknown unit, an interval without
 * a start or a positive whole-second duration up to a day, a start not on a multiple of its duration,
 * overlapping intervals of one resource, or too many readings. `meterId` is the resource's name.
 */
export function readingsFromReport(report: ReportLike): Result<ReportReading[], TeError> {
  const units = unitsByType(report);
  const energyFactor = ENERGY_WH_PER_UNIT[units.get('USAGE') ?? 'KWH'];
  const powerFactor = POWER_W_PER_UNIT[units.get('DEMAND') ?? 'KW'];
  if (energyFactor === undefined)
    return err(invalid('payloadDescriptors', `USAGE units must be KWH or WH, not '${units.get('USAGE')}'`));
  if (powerFactor === undefined)
    return err(invalid('payloadDescriptors', `DEMAND units must be KW or W, not '${units.get('DEMAND')}'`));
  const readings: ReportReading[] = [];
  for (const [r, resource] of report.resources.entries()) {
    let previousEndMs: number | undefined;
    for (const [i, interval] of resource.intervals.entries()) {
      const path = `resources[${r}].intervals[${i}]`;
      const metered = interval.payloads.filter((p) => p.type === 'USAGE' || p.type === 'DEMAND');
      const span = intervalSpan(interval.intervalPeriod, resource.intervalPeriod, previousEndMs, path);
      if (!span.ok) {
        if (metered.length === 0) continue;
        return span;
      }
      // No start anywhere: the VEN did not say when, so this is report only (OpenADR allows it).
      if (span.value === undefined) continue;
      previousEndMs = span.value.startMs + span.value.durationMs;
      if (metered.length === 0) continue;
      const usage = metered.find((p) => p.type === 'USAGE');
      const payload = usage ?? metered[0];
      const value = payload?.values.length === 1 ? payload.values[0] : undefined;
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return err(invalid(`${path}.payloads`, `${payload?.type} must carry exactly one finite number`));
      }
      const energyWh = Math.round(
        usage === undefined
          ? (value * powerFactor * span.value.durationMs) / 3_600_000
          : value * energyFactor,
      );
      if (Math.abs(energyWh) > MAX_ABS_ENERGY_WH) {
        return err(invalid(`${path}.payloads`, `${energyWh} Wh is beyond ±1e12 Wh`));
      }
      readings.push({
        meterId: resource.resourceName,
        timeMs: span.value.startMs,
        durationMs: span.value.durationMs,
        energyWh,
        path,
      });
      if (readings.length > MAX_REPORT_READINGS) {
        return err(invalid('resources', `a report carries at most ${MAX_REPORT_READINGS} readings`));
      }
    }
  }
  const overlap = firstOverlap(readings);
  if (overlap !== undefined) return err(overlap);
  return ok(readings);
}

function unitsByType(report: ReportLike): Map<string, string> {
  const units = new Map<string, string>();
  for (const d of report.payloadDescriptors ?? [])
    if (typeof d.units === 'string') units.set(d.payloadType, d.units.toUpperCase());
  return units;
}

function intervalSpan(
  own: Period,
  defaults: Period,
  previousEndMs: number | undefined,
  path: string,
): Result<{ startMs: number; durationMs: number } | undefined, TeError> {
  const startText = own?.start ?? (previousEndMs === undefined ? defaults?.start : undefined);
  if (startText === undefined && previousEndMs === undefined) return ok(undefined);
  const startMs = startText === undefined ? previousEndMs : Date.parse(startText);
  if (startMs === undefined || !Number.isFinite(startMs) || startText?.startsWith('0001-01-01') === true) {
    return err(invalid(`${path}.intervalPeriod.start`, 'a reading interval needs a real start time'));
  }
  const duration = own?.duration ?? defaults?.duration;
  const durationMs = duration === undefined ? undefined : msOfIsoDuration(duration);
  if (
    durationMs === undefined ||
    durationMs <= 0 ||
    durationMs > MAX_INTERVAL_MS ||
    durationMs % 1000 !== 0
  ) {
    return err(
      invalid(
        `${path}.intervalPeriod.duration`,
        `a reading interval needs a positive duration of whole seconds up to a day (e.g. PT5M), not '${duration}'`,
      ),
    );
  }
  if (startMs % durationMs !== 0) {
    return err(
      invalid(
        `${path}.intervalPeriod.start`,
        `the interval must start on a multiple of its duration ${duration} (e.g. on the slot boundary)`,
      ),
    );
  }
  return ok({ startMs, durationMs });
}

/** Two readings of one meter whose intervals overlap (each meter has one reading per time). */
export function firstOverlap(readings: readonly ReportReading[]): TeError | undefined {
  const sorted = [...readings].sort((a, b) =>
    a.meterId < b.meterId ? -1 : a.meterId > b.meterId ? 1 : a.timeMs - b.timeMs,
  );
  for (let k = 1; k < sorted.length; k += 1) {
    const before = sorted[k - 1];
    const current = sorted[k];
    if (before === undefined || current === undefined || before.meterId !== current.meterId) continue;
    if (current.timeMs < before.timeMs + before.durationMs) {
      return invalid(
        current.path,
        `this interval of meter '${current.meterId}' overlaps ${before.path}: one reading per meter and time`,
      );
    }
  }
  return undefined;
}

function invalid(path: string, message: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, {
    path,
    hint: 'see docs/protocols/openadr3.md, The market on OpenADR: reports and meter readings',
  });
}
