/**
 * The market on OpenADR, one definition for both sides: how the VTN publishes a market (a program per
 * market, an event per cleared slot with its prices, per-customer operating envelopes and aggregator
 * dispatch as targeted events) and how a VEN reads it back. Pure: no store, no clock. The VTN side
 * (market-publisher.ts, envelope-publishing.ts) and the VEN side (src/openadr3/ven/, src/demo/) import
 * these names and parsers instead of spelling the strings themselves. docs/protocols/openadr3.md,
 * "The market on OpenADR", has the table.
 */
import { participantTarget } from '../granted-targets.js';
import type { EventRequest, ProgramRequest } from '../schemas/objects.js';
import {
  ENERGY_UNITS,
  MARKET_PAYLOAD,
  POWER_UNITS,
  dispatchEventName,
  envelopeEventName,
  eventNameForSlot,
  numericPayload,
  powerDescriptor,
  programNameForMarket,
  slotPeriod,
  slotTimesOf,
  type EventLike,
  type SlotTimes,
} from './market-names.js';
import { isoDurationOfMs } from './slot-durations.js';

export * from './market-names.js';
export { readingsFromReport, usageReportBody, MAX_REPORT_READINGS } from './usage-reports.js';
export type { UsageInterval, UsageReportInput } from './usage-reports.js';

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
