/**
 * The names, payload types and units of the market on OpenADR, and how a market event's name and
 * period are read back. Pure; market-mapping.ts re-exports all of it.
 */
import { isoDurationOfMs, msOfIsoDuration } from './slot-durations.js';

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

export interface SlotTimes {
  readonly marketId: string;
  readonly slotStartMs: number;
  readonly slotEndMs: number;
}

export function slotTimesOf(
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

export function numericPayload(event: EventLike, type: string): number | null {
  const value = event.intervals?.[0]?.payloads.find((p) => p.type === type)?.values[0];
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

export function slotPeriod(slotStartMs: number, slotDurationMs: number) {
  return { start: new Date(slotStartMs).toISOString(), duration: isoDurationOfMs(slotDurationMs) };
}

export function powerDescriptor(payloadType: string) {
  return { objectType: 'EVENT_PAYLOAD_DESCRIPTOR' as const, payloadType, units: POWER_UNITS };
}
