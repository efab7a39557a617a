/**
 * Answers to the calls a charging station makes. Payloads arrive already checked against the OCPP 2.0.1
 * schemas (ocpp-rpc strict mode), so the handlers read them as the schema types; energy samples become
 * settlement readings on the station's participant meter.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../live/clock.js';
import { ingestMeterReadings } from '../store/meter-reading-repository.js';
import type { StoreSchema } from '../store/schema.js';
import {
  deleteChargingNeeds,
  listChargingNeeds,
  saveChargingNeed,
  setMissingRegisterBaseline,
} from './charging-need-repository.js';
import { parseChargingNeed, type NotifyEvChargingNeedsRequest } from './charging-needs.js';
import { readingsFromRegister, registerSamples, type OcppMeterValue } from './meter-values.js';
import type { ChargingProfile } from './station-calls.js';
import { advanceRegister, getStation } from './station-repository.js';
import type { StationStates } from './station-state.js';

export interface StationContext {
  readonly db: Kysely<StoreSchema>;
  readonly clock: Clock;
  readonly stationId: string;
  readonly heartbeatIntervalS: number;
  readonly states: StationStates;
  /** A need was stored: bidding for it may start now instead of at the next slot. */
  readonly onChargingNeed: (stationId: string, evseId: number) => void;
}

interface TransactionEventRequest {
  readonly eventType: 'Started' | 'Updated' | 'Ended';
  readonly transactionInfo: { readonly transactionId: string };
  readonly evse?: { readonly id: number };
  readonly meterValue?: OcppMeterValue[];
  readonly idToken?: unknown;
}

interface ReportChargingProfilesRequest {
  readonly requestId: number;
  readonly chargingLimitSource: string;
  readonly evseId: number;
  readonly chargingProfile: ChargingProfile[];
  readonly tbc?: boolean;
}

type Handler = (params: unknown) => Promise<Record<string, unknown>>;

/**
 * Every idToken is accepted: the station itself is authenticated, and tenet settles energy per
 * participant, not per driver. A token list (local authorization, RFID) is not part of this version.
 */
const ACCEPTED_TOKEN = { idTokenInfo: { status: 'Accepted' } };

/** The most EVSEs of one station with a stored need at once. */
export const MAX_NEEDS_PER_STATION = 64;

export function stationHandlers(context: StationContext): Record<string, Handler> {
  const now = () => new Date(context.clock.nowMs()).toISOString();
  return {
    BootNotification: () =>
      Promise.resolve({ currentTime: now(), interval: context.heartbeatIntervalS, status: 'Accepted' }),
    Heartbeat: () => Promise.resolve({ currentTime: now() }),
    StatusNotification: (params) => {
      const status = params as {
        timestamp: string;
        connectorStatus: string;
        evseId: number;
        connectorId: number;
      };
      context.states.setConnector(context.stationId, {
        evseId: status.evseId,
        connectorId: status.connectorId,
        status: status.connectorStatus,
        timestampMs: Date.parse(status.timestamp),
      });
      return Promise.resolve({});
    },
    Authorize: () => Promise.resolve(ACCEPTED_TOKEN),
    TransactionEvent: async (params) => {
      const event = params as TransactionEventRequest;
      await storeMeterValues(context, event.meterValue ?? []);
      await followTransaction(context, event);
      return event.idToken === undefined ? {} : ACCEPTED_TOKEN;
    },
    NotifyEVChargingNeeds: async (params) => {
      const station = await getStation(context.db, context.stationId);
      const parsed = parseChargingNeed(
        context.stationId,
        params as NotifyEvChargingNeedsRequest,
        context.clock.nowMs(),
        station?.registerWh,
      );
      if (!parsed.ok) return { status: 'Rejected', statusInfo: parsed.rejection };
      // EVSE ids come from the station: a bound keeps a misbehaving one from filling the table.
      const stored = await listChargingNeeds(context.db, context.stationId);
      if (stored.length >= MAX_NEEDS_PER_STATION && !stored.some((n) => n.evseId === parsed.need.evseId)) {
        return {
          status: 'Rejected',
          statusInfo: {
            reasonCode: 'TooManyEVSEs',
            additionalInfo: `at most ${MAX_NEEDS_PER_STATION} EVSEs of a station have a need at a time`,
          },
        };
      }
      await saveChargingNeed(context.db, parsed.need);
      context.onChargingNeed(context.stationId, parsed.need.evseId);
      return { status: 'Accepted' };
    },
    ReportChargingProfiles: (params) => {
      context.states.addReport(
        context.stationId,
        params as ReportChargingProfilesRequest,
        context.clock.nowMs(),
      );
      return Promise.resolve({});
    },
    MeterValues: async (params) => {
      await storeMeterValues(context, (params as { meterValue: OcppMeterValue[] }).meterValue);
      return {};
    },
  };
}

/**
 * The transaction on each EVSE, for TxProfiles. When it ends the EV has left, and so has its need: the
 * next EV sends its own.
 */
async function followTransaction(context: StationContext, event: TransactionEventRequest): Promise<void> {
  const { transactionId } = event.transactionInfo;
  if (event.eventType === 'Ended') {
    const evseId = context.states.endTransaction(context.stationId, transactionId) ?? event.evse?.id;
    if (evseId !== undefined) await deleteChargingNeeds(context.db, context.stationId, evseId);
  } else if (event.evse !== undefined) {
    context.states.startTransaction(context.stationId, event.evse.id, transactionId);
  }
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
  // A need that arrived before the station's first register sample counts delivery from that sample.
  const [first] = samples;
  if (last === undefined && first !== undefined)
    await setMissingRegisterBaseline(context.db, context.stationId, first.wh);
}
