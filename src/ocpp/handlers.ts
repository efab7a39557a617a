/**
 * Answers to the calls a charging station makes. Payloads arrive already checked against the OCPP 2.0.1
 * schemas (ocpp-rpc strict mode), so the handlers read them as the schema types; energy samples become
 * settlement readings on the station's participant meter.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import { ingestMeterReadings } from '../store/meter-reading-repository.js';
import type { StoreSchema } from '../store/schema.js';
import { readingsFromRegister, registerSamples, type OcppMeterValue } from './meter-values.js';
import { advanceRegister, getStation } from './station-repository.js';

export interface StationContext {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly stationId: string;
  readonly heartbeatIntervalS: number;
}

type Handler = (params: unknown) => Promise<Record<string, unknown>>;

/**
 * Every idToken is accepted: the station itself is authenticated, and tenet settles energy per
 * participant, not per driver. A token list (local authorization, RFID) is not part of this version.
 */
const ACCEPTED_TOKEN = { idTokenInfo: { status: 'Accepted' } };

export function stationHandlers(context: StationContext): Record<string, Handler> {
  const now = () => new Date(context.clock.nowMs()).toISOString();
  return {
    BootNotification: () =>
      Promise.resolve({ currentTime: now(), interval: context.heartbeatIntervalS, status: 'Accepted' }),
    Heartbeat: () => Promise.resolve({ currentTime: now() }),
    StatusNotification: () => Promise.resolve({}),
    Authorize: () => Promise.resolve(ACCEPTED_TOKEN),
    TransactionEvent: async (params) => {
      const event = params as { meterValue?: OcppMeterValue[]; idToken?: unknown };
      await storeMeterValues(context, event.meterValue ?? []);
      return event.idToken === undefined ? {} : ACCEPTED_TOKEN;
    },
    MeterValues: async (params) => {
      await storeMeterValues(context, (params as { meterValue: OcppMeterValue[] }).meterValue);
      return {};
    },
  };
}

/**
 * Readings are stored before the register moves on: a crash in between makes the station's resend
 * produce the same readings again, which ingestion drops as duplicates. A station's calls are handled
 * one at a time (ocpp-rpc's call concurrency 1), so two updates of one register never race.
 */
async function storeMeterValues(
  context: StationContext,
  meterValues: readonly OcppMeterValue[],
): Promise<void> {
  const samples = registerSamples(meterValues);
  if (samples.length === 0) return;
  const station = await getStation(context.db, context.stationId);
  if (station === undefined) return;
  const last =
    station.registerWh === undefined || station.registerMs === undefined
      ? undefined
      : { timeMs: station.registerMs, wh: station.registerWh };
  const { readings, last: next } = readingsFromRegister(station.participantId, last, samples);
  if (readings.length > 0) {
    const stored = await ingestMeterReadings(context.db, readings);
    if (!stored.ok) throw stored.error;
  }
  if (next !== undefined && next !== last)
    await advanceRegister(context.db, context.stationId, next.wh, next.timeMs);
}
