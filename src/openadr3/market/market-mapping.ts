/**
 * The market on OpenADR, one definition for both sides: how the VTN publishes a market (a program per
 * market, an event per cleared slot with its prices, per-customer operating envelopes and aggregator
 * dispatch as targeted events) and how a VEN reads it back. Pure: no store, no clock. The VTN side
 * (market-publisher.ts, envelope-events.ts) and the VEN side (src/openadr3/ven/, src/demo/) import
 * these names and parsers instead of spelling the strings themselves. docs/protocols/openadr3.md,
 * "The market on OpenADR", has the table.
 */
import { participantTarget } from '../granted-targets.js';
import type { EventRequest, ProgramRequest } from '../schemas/objects.js';
import { isoDurationOfMs, msOfIsoDuration } from './slot-durations.js';

export { readingsFromReport, usageReportBody, MAX_REPORT_READINGS } from './usage-reports.js';
export type { UsageInterval, UsageReportInput } from './usage-reports.js';

/** OpenADR payload types the market uses; the `X_TENET_` ones are private (the spec allows them). */
export const MARKET_PAYLOAD = {
  /** What a buyer pays per kWh it imports: clearing price plus the market's grid fee. */
  PRICE: 'PRICE',
  /** What a seller gets per kWh it exports: the clearing price. */
  EXPORT_PRICE: 'EXPORT_PRICE',
  /** The slot cleared without a single price (nothing traded, or a mechanism without one); value: status. */
  NO_PRICE: 'X_TENET_NO_PRICE',
  /** Energy the slot traded, kWh. */
  TRADED_ENERGY: 'X_TENET_TRADED_ENERGY',
  IMPORT_CAPACITY_LIMIT: 'IMPORT_CAPACITY_LIMIT',
  EXPORT_CAPACITY_LIMIT: 'EXPORT_CAPACITY_LIMIT',
  /** Net scheduled import of a participant for the slot, kW (export negative). */
  DISPATCH_SETPOINT: 'DISPATCH_SETPOINT',
  USAGE: 'USAGE',
  DEMAND: 'DEMAND',
} as const;

export const ENERGY_UNITS = 'KWH';
export const POWER_UNITS = 'KW';

const PROGRAM_PREFIX = 'market:';
const SLOT_INFIX = ':slot:';
const ENVELOPE_INFIX = ':envelope:';
const DISPATCH_INFIX = ':dispatch:';

/** `market:{marketId}`: unique on the VTN, so the publisher finds its program again after a restart. */
export function programNameForMarket(marketId: string): string {
  return `${PROGRAM_PREFIX}${marketId}`;
}

export function marketIdOfProgramName(programName: string): string | undefined {
  if (!programName.startsWith(PROGRAM_PREFIX) || programName.length === PROGRAM_PREFIX.length)
    return undefined;
  return programName.slice(PROGRAM_PREFIX.length);
}

/** `market:{marketId}:slot:{ISO start}`, e.g. `market:m1:slot:2026-01-01T00:00:00.000Z`. */
export function eventNameForSlot(marketId: string, slotStartMs: number): string {
  return `${programNameForMarket(marketId)}${SLOT_INFIX}${new Date(slotStartMs).toISOString()}`;
}

/** A participant's operating envelope for one slot. */
export function envelopeEventName(marketId: string, slotStartMs: number, participantId: string): string {
  return `${eventNameForSlot(marketId, slotStartMs)}${ENVELOPE_INFIX}${participantId}`;
}

/** An aggregator member's dispatch for one slot. */
export function dispatchEventName(marketId: string, slotStartMs: number, participantId: string): string {
  return `${eventNameForSlot(marketId, slotStartMs)}${DISPATCH_INFIX}${participantId}`;
}

export type MarketEventKind = 'price' | 'envelope' | 'dispatch';

export interface ParsedMarketEventName {
  readonly kind: MarketEventKind;
  readonly marketId: string;
  readonly slotStartMs: number;
  /** Envelope and dispatch events: whom it is for. */
  readonly participantId?: string;
}

const MARKET_EVENT_NAME = /^market:(.+?):slot:(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)(.*)$/;

/** What a market event's name says; undefined for any other event. */
export function parseMarketEventName(eventName: string): ParsedMarketEventName | undefined {
  const m = MARKET_EVENT_NAME.exec(eventName);
  if (m === null) return undefined;
  const [, marketId = '', start = '', suffix = ''] = m;
  const slotStartMs = Date.parse(start);
  if (!Number.isFinite(slotStartMs)) return undefined;
  if (suffix === '') return { kind: 'price', marketId, slotStartMs };
  for (const [infix, kind] of [
    [ENVELOPE_INFIX, 'envelope'],
    [DISPATCH_INFIX, 'dispatch'],
  ] as const) {
    if (suffix.startsWith(infix) && suffix.length > infix.length)
      return { kind, marketId, slotStartMs, participantId: suffix.slice(infix.length) };
  }
  return undefined;
}

export interface MarketProgramInput {
  readonly marketId: string;
  readonly marketName: string;
  readonly slotDurationMs: number;
  readonly currency: string;
}

/** The program of a market: untargeted, so every VEN sees its prices. */
export function marketProgramRequest(market: MarketProgramInput): ProgramRequest {
  const event = (payloadType: string, units: string, currency?: string) => ({
    objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const,
    payloadType,
    units,
    ...(currency === undefined ? {} : { currency }),
  });
  return {
    programName: programNameForMarket(market.marketId),
    programLongName: market.marketName,
    programType: 'PRICING_TARIFF',
    intervalPeriod: { duration: isoDurationOfMs(market.slotDurationMs) },
    payloadDescriptors: [
      event(MARKET_PAYLOAD.PRICE, ENERGY_UNITS, market.currency),
      event(MARKET_PAYLOAD.EXPORT_PRICE, ENERGY_UNITS, market.currency),
      event(MARKET_PAYLOAD.IMPORT_CAPACITY_LIMIT, POWER_UNITS),
      event(MARKET_PAYLOAD.EXPORT_CAPACITY_LIMIT, POWER_UNITS),
      event(MARKET_PAYLOAD.DISPATCH_SETPOINT, POWER_UNITS),
      { objectType: 'REPORT_PAYLOAD_DESCRIPTOR', payloadType: MARKET_PAYLOAD.USAGE, units: ENERGY_UNITS },
    ],
  };
}

export interface ClearedSlotPrices {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly slotDurationMs: number;
  readonly currency: string;
  /** The clearing price; null when the slot has no single price. */
  readonly pricePerKwh: number | null;
  readonly gridFeePerKwh: number;
  /** The slot's clearing status (e.g. `cleared`, `no-trade`), carried in the no-price payload. */
  readonly status: string;
  readonly tradedEnergyWh: number;
}

/** Prices to nine decimals, so 0.08 + 0.02 reads 0.1 and not 0.09999999999999999. */
function roundPrice(value: number): number {
  return Math.round(value * 1e9) / 1e9;
}

/** The slot's event: one interval over the slot with its import and export prices, or a no-price payload. */
export function slotPriceEventRequest(programId: string, slot: ClearedSlotPrices): EventRequest {
  const price = slot.pricePerKwh;
  const payloads =
    price === null || !Number.isFinite(price)
      ? [{ type: MARKET_PAYLOAD.NO_PRICE, values: [slot.status] }]
      : [
          { type: MARKET_PAYLOAD.PRICE, values: [roundPrice(price + slot.gridFeePerKwh)] },
          { type: MARKET_PAYLOAD.EXPORT_PRICE, values: [roundPrice(price)] },
        ];
  const descriptor = (payloadType: string, units: string | null, currency?: string) => ({
    objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const,
    payloadType,
    units,
    ...(currency === undefined ? {} : { currency }),
  });
  return {
    programID: programId,
    eventName: eventNameForSlot(slot.marketId, slot.slotStartMs),
    payloadDescriptors: [
      ...(price === null
        ? [descriptor(MARKET_PAYLOAD.NO_PRICE, null)]
        : [
            descriptor(MARKET_PAYLOAD.PRICE, ENERGY_UNITS, slot.currency),
            descriptor(MARKET_PAYLOAD.EXPORT_PRICE, ENERGY_UNITS, slot.currency),
          ]),
      descriptor(MARKET_PAYLOAD.TRADED_ENERGY, ENERGY_UNITS),
    ],
    intervalPeriod: slotPeriod(slot.slotStartMs, slot.slotDurationMs),
    intervals: [
      {
        id: 0,
        payloads: [...payloads, { type: MARKET_PAYLOAD.TRADED_ENERGY, values: [slot.tradedEnergyWh / 1000] }],
      },
    ],
  };
}

export interface SlotPrice {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
  /** PRICE: per kWh imported (clearing price plus grid fee); null when the slot has no price. */
  readonly importPricePerKwh: number | null;
  /** EXPORT_PRICE: per kWh exported; null when the slot has no price. */
  readonly exportPricePerKwh: number | null;
}

/** Anything shaped like an OpenADR event (a request or a served event). */
export interface EventLike {
  readonly eventName?: string | null | undefined;
  readonly intervalPeriod?: { readonly start?: string; readonly duration?: string } | undefined;
  readonly intervals?:
    | readonly {
        readonly payloads: readonly { readonly type: string; readonly values: readonly unknown[] }[];
      }[]
    | undefined;
}

/** The prices of a market slot's event; undefined when it is not one (name, period or payloads). */
export function priceOfSlotEvent(event: EventLike): SlotPrice | undefined {
  const times = slotTimesOf(event, 'price');
  if (times === undefined) return undefined;
  const payloads = event.intervals?.[0]?.payloads ?? [];
  const numberOf = (type: string) => {
    const value = payloads.find((p) => p.type === type)?.values[0];
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  };
  const importPrice = numberOf(MARKET_PAYLOAD.PRICE);
  const exportPrice = numberOf(MARKET_PAYLOAD.EXPORT_PRICE);
  const noPrice = payloads.some((p) => p.type === MARKET_PAYLOAD.NO_PRICE);
  if (!noPrice && (importPrice === null || exportPrice === null)) return undefined;
  return { ...times, importPricePerKwh: importPrice, exportPricePerKwh: exportPrice };
}

export interface EnvelopeLimits {
  readonly participantId: string;
  /** Largest import, kW; null: no limit. */
  readonly importLimitKw: number | null;
  /** Largest export, kW (a magnitude, ≥ 0); null: no limit. */
  readonly exportLimitKw: number | null;
}

/** One participant's operating envelope for one slot, targeted `participant:{id}`. */
export function envelopeEventRequest(
  programId: string,
  slot: { readonly marketId: string; readonly slotStartMs: number; readonly slotDurationMs: number },
  envelope: EnvelopeLimits,
): EventRequest {
  const payloads = [
    ...(envelope.importLimitKw === null
      ? []
      : [{ type: MARKET_PAYLOAD.IMPORT_CAPACITY_LIMIT, values: [envelope.importLimitKw] }]),
    ...(envelope.exportLimitKw === null
      ? []
      : [{ type: MARKET_PAYLOAD.EXPORT_CAPACITY_LIMIT, values: [envelope.exportLimitKw] }]),
  ];
  return {
    programID: programId,
    eventName: envelopeEventName(slot.marketId, slot.slotStartMs, envelope.participantId),
    targets: [participantTarget(envelope.participantId)],
    payloadDescriptors: payloads.map((p) => powerDescriptor(p.type)),
    intervalPeriod: slotPeriod(slot.slotStartMs, slot.slotDurationMs),
    intervals: [{ id: 0, payloads }],
  };
}

/** An envelope event's limits; undefined when the event is not one. */
export function envelopeOfEvent(event: EventLike): (EnvelopeLimits & SlotTimes) | undefined {
  const times = slotTimesOf(event, 'envelope');
  if (times?.participantId === undefined) return undefined;
  const value = (type: string) => numericPayload(event, type);
  return {
    ...times,
    participantId: times.participantId,
    importLimitKw: value(MARKET_PAYLOAD.IMPORT_CAPACITY_LIMIT),
    exportLimitKw: value(MARKET_PAYLOAD.EXPORT_CAPACITY_LIMIT),
  };
}

/** A member's dispatch for one slot: its net scheduled import, kW (export negative). */
export function dispatchEventRequest(
  programId: string,
  slot: { readonly marketId: string; readonly slotStartMs: number; readonly slotDurationMs: number },
  participantId: string,
  setpointKw: number,
): EventRequest {
  return {
    programID: programId,
    eventName: dispatchEventName(slot.marketId, slot.slotStartMs, participantId),
    targets: [participantTarget(participantId)],
    payloadDescriptors: [powerDescriptor(MARKET_PAYLOAD.DISPATCH_SETPOINT)],
    intervalPeriod: slotPeriod(slot.slotStartMs, slot.slotDurationMs),
    intervals: [{ id: 0, payloads: [{ type: MARKET_PAYLOAD.DISPATCH_SETPOINT, values: [setpointKw] }] }],
  };
}

/** A dispatch event's setpoint; undefined when the event is not one. */
export function dispatchOfEvent(
  event: EventLike,
): (SlotTimes & { participantId: string; setpointKw: number }) | undefined {
  const times = slotTimesOf(event, 'dispatch');
  const setpointKw = numericPayload(event, MARKET_PAYLOAD.DISPATCH_SETPOINT);
  if (times?.participantId === undefined || setpointKw === null) return undefined;
  return { ...times, participantId: times.participantId, setpointKw };
}

interface SlotTimes {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
}

function slotTimesOf(
  event: EventLike,
  kind: MarketEventKind,
): (SlotTimes & { participantId?: string }) | undefined {
  const parsed = typeof event.eventName === 'string' ? parseMarketEventName(event.eventName) : undefined;
  if (parsed?.kind !== kind) return undefined;
  const start = event.intervalPeriod?.start;
  const duration = event.intervalPeriod?.duration;
  const durationMs = duration === undefined ? undefined : msOfIsoDuration(duration);
  if (start === undefined || durationMs === undefined || durationMs <= 0) return undefined;
  if (Date.parse(start) !== parsed.slotStartMs) return undefined;
  return {
    marketId: parsed.marketId,
    slotStartMs: parsed.slotStartMs,
    slotEndMs: parsed.slotStartMs + durationMs,
    ...(parsed.participantId === undefined ? {} : { participantId: parsed.participantId }),
  };
}

function numericPayload(event: EventLike, type: string): number | null {
  const value = event.intervals?.[0]?.payloads.find((p) => p.type === type)?.values[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function slotPeriod(slotStartMs: number, slotDurationMs: number) {
  return { start: new Date(slotStartMs).toISOString(), duration: isoDurationOfMs(slotDurationMs) };
}

function powerDescriptor(payloadType: string) {
  return { objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const, payloadType, units: POWER_UNITS };
}
