/**
 * Turns MirrorMeterReadings into the platform's telemetry: energy per interval in Wh, import positive
 * (docs/conventions.md). Only what converts without guessing is accepted: interval readings of energy
 * (uom 72, Wh) or of average power (uom 38, W) with a flow direction of forward (1) or reverse (19).
 * Anything else is refused whole, naming the element, so a request is either all stored or not at all.
 */
import { TeError } from '../../core/errors.js';
import type { MirrorMeterReading, Reading, ReadingType } from '../metering-mirror.js';
import type { SepTelemetryReading } from './registry.js';

/** Most readings one request may carry. */
export const MAX_READINGS_PER_REQUEST = 1000;
/** Beyond this an interval's energy is a unit mistake rather than a meter (as for OpenADR reports). */
export const MAX_INTERVAL_ENERGY_WH = 1e12;

const UOM_WATT = 38;
const UOM_WATT_HOUR = 72;
/** 2030.5 flow directions: forward is delivered to the customer (import), reverse is received (export). */
const FLOW_FORWARD = 1;
const FLOW_REVERSE = 19;

const refuse = (message: string, path: string, hint?: string): TeError =>
  new TeError('TE_ERR_SEP_MIRROR', message, hint === undefined ? { path } : { path, hint });

interface Scale {
  /** +1 import, −1 export. */
  readonly sign: number;
  readonly factor: number;
  readonly uom: number;
}

function scaleOf(type: ReadingType, path: string): Scale {
  const uom = type.uom ?? 0;
  if (uom !== UOM_WATT_HOUR && uom !== UOM_WATT) {
    throw refuse(`uom ${uom} is not converted`, `${path}/uom`, 'send 72 (Wh) or 38 (W, interval average)');
  }
  const flow = type.flowDirection ?? 0;
  if (flow !== FLOW_FORWARD && flow !== FLOW_REVERSE) {
    throw refuse(
      `flowDirection ${flow} is not converted`,
      `${path}/flowDirection`,
      'send 1 (forward, import) or 19 (reverse, export), one MirrorMeterReading each',
    );
  }
  return { sign: flow === FLOW_FORWARD ? 1 : -1, factor: 10 ** (type.powerOfTenMultiplier ?? 0), uom };
}

function convert(reading: Reading, scale: Scale, mupMRID: string, path: string): SepTelemetryReading {
  const period = reading.timePeriod;
  if (period === undefined) {
    throw refuse('a reading without timePeriod (a register) is not converted', `${path}/timePeriod`);
  }
  if (period.duration <= 0) throw refuse('duration must be above 0', `${path}/timePeriod/duration`);
  if (!Number.isSafeInteger(period.start + period.duration)) {
    throw refuse('the interval ends beyond the representable time', `${path}/timePeriod`);
  }
  if (reading.value === undefined) throw refuse('the reading has no value', `${path}/value`);
  // 2030.5 says forward and reverse values SHALL be positive; the direction carries the sign.
  if (reading.value < 0) throw refuse('a forward or reverse value must not be negative', `${path}/value`);
  const magnitude = reading.value * scale.factor;
  const wh = scale.uom === UOM_WATT_HOUR ? magnitude : (magnitude * period.duration) / 3600;
  if (!Number.isFinite(wh) || wh > MAX_INTERVAL_ENERGY_WH) {
    throw refuse(`energy ${wh} Wh is beyond ±${MAX_INTERVAL_ENERGY_WH} Wh`, `${path}/value`);
  }
  return {
    mirrorUsagePointMRID: mupMRID,
    startS: period.start,
    durationS: period.duration,
    // `0 * -1` is -0; telemetry wants a plain zero.
    energyWh: wh === 0 ? 0 : scale.sign * wh,
  };
}

/**
 * The telemetry in these MirrorMeterReadings. `knownType` gives the ReadingType stored for an mRID when
 * the reading does not carry one (a client sends it once, with the usage point). `path` is the element
 * path of the first MirrorMeterReading's parent, e.g. `/MirrorUsagePoint` or `` for a bare reading.
 */
export function telemetryFromMirror(
  mupMRID: string,
  meterReadings: readonly { readonly reading: MirrorMeterReading; readonly path: string }[],
  knownType: (mRID: string) => ReadingType | undefined,
): SepTelemetryReading[] {
  const count = meterReadings.reduce(
    (n, { reading }) =>
      n +
      (reading.Reading === undefined ? 0 : 1) +
      (reading.MirrorReadingSet ?? []).reduce((m, set) => m + set.Reading.length, 0),
    0,
  );
  if (count > MAX_READINGS_PER_REQUEST) {
    throw refuse(
      `${count} readings in one request, the limit is ${MAX_READINGS_PER_REQUEST}`,
      meterReadings[0]?.path ?? '/',
      'post them in several requests',
    );
  }
  const out: SepTelemetryReading[] = [];
  for (const { reading, path } of meterReadings) {
    const sets = reading.MirrorReadingSet ?? [];
    if (reading.Reading === undefined && sets.every((s) => s.Reading.length === 0)) continue;
    const type = reading.ReadingType ?? knownType(reading.mRID);
    if (type === undefined) {
      throw refuse(
        `no ReadingType for MirrorMeterReading ${reading.mRID}`,
        `${path}/ReadingType`,
        'send the ReadingType with the first readings of each mRID',
      );
    }
    const scale = scaleOf(type, `${path}/ReadingType`);
    if (reading.Reading !== undefined) out.push(convert(reading.Reading, scale, mupMRID, `${path}/Reading`));
    sets.forEach((set, i) =>
      set.Reading.forEach((r, j) =>
        out.push(convert(r, scale, mupMRID, `${path}/MirrorReadingSet[${i}]/Reading[${j}]`)),
      ),
    );
  }
  return out;
}
