import { describe, expect, it } from 'vitest';
import {
  dispatchEventRequest,
  dispatchOfEvent,
  envelopeEventRequest,
  envelopeOfEvent,
  eventNameForSlot,
  marketIdOfProgramName,
  marketProgramRequest,
  parseMarketEventName,
  priceOfSlotEvent,
  programNameForMarket,
  slotPriceEventRequest,
} from './market-mapping.js';
import { isoDurationOfMs, msOfIsoDuration } from './slot-durations.js';

const START = Date.parse('2026-01-01T00:05:00Z');
const SLOT = {
  marketId: 'm1',
  slotStartMs: START,
  slotDurationMs: 300_000,
  currency: 'USD',
  gridFeePerKwh: 0.02,
  status: 'cleared',
  tradedEnergyWh: 1500,
};

describe('market mapping', () => {
  it('names programs and events so the VEN can parse them back', () => {
    expect(programNameForMarket('m1')).toBe('market:m1');
    expect(marketIdOfProgramName('market:m1')).toBe('m1');
    expect(marketIdOfProgramName('prices')).toBeUndefined();
    expect(eventNameForSlot('m1', START)).toBe('market:m1:slot:2026-01-01T00:05:00.000Z');
    expect(parseMarketEventName('market:a:slot:b:slot:2026-01-01T00:05:00.000Z')).toEqual({
      kind: 'price',
      marketId: 'a:slot:b',
      slotStartMs: START,
    });
    expect(parseMarketEventName('market:m1:slot:2026-01-01T00:05:00.000Z:envelope:home:1')).toEqual({
      kind: 'envelope',
      marketId: 'm1',
      slotStartMs: START,
      participantId: 'home:1',
    });
    expect(parseMarketEventName('market:m1:slot:2026-01-01T00:05:00.000Z:other')).toBeUndefined();
    expect(parseMarketEventName('prices')).toBeUndefined();
  });

  it('describes a market as an untargeted program with the slot duration and currency', () => {
    const program = marketProgramRequest({
      marketId: 'm1',
      marketName: 'Main St',
      slotDurationMs: 300_000,
      currency: 'USD',
    });
    expect(program.programName).toBe('market:m1');
    expect(program.programLongName).toBe('Main St');
    expect(program.intervalPeriod).toEqual({ duration: 'PT5M' });
    expect(program.targets).toBeUndefined();
    expect(program.payloadDescriptors).toContainEqual({
      objectType: 'EVENT_PAYLOAD_DESCRIPTOR',
      payloadType: 'PRICE',
      units: 'KWH',
      currency: 'USD',
    });
  });

  it('publishes a cleared price as PRICE (with the grid fee) and EXPORT_PRICE, and parses it back', () => {
    const event = slotPriceEventRequest('prog-1', { ...SLOT, pricePerKwh: 0.08 });
    expect(event.intervalPeriod).toEqual({ start: '2026-01-01T00:05:00.000Z', duration: 'PT5M' });
    expect(event.intervals?.[0]?.payloads).toContainEqual({ type: 'PRICE', values: [0.1] });
    expect(priceOfSlotEvent(event)).toEqual({
      marketId: 'm1',
      slotStartMs: START,
      slotEndMs: START + 300_000,
      importPricePerKwh: 0.1,
      exportPricePerKwh: 0.08,
    });
  });

  it('publishes a slot without a price as a no-price payload with its status', () => {
    const event = slotPriceEventRequest('prog-1', { ...SLOT, pricePerKwh: null, status: 'no-trade' });
    expect(event.intervals?.[0]?.payloads).toContainEqual({ type: 'X_TENET_NO_PRICE', values: ['no-trade'] });
    expect(event.intervals?.[0]?.payloads.some((p) => p.type === 'PRICE')).toBe(false);
    expect(priceOfSlotEvent(event)).toMatchObject({ importPricePerKwh: null, exportPricePerKwh: null });
  });

  it('does not take other events for slot events', () => {
    const event = slotPriceEventRequest('prog-1', { ...SLOT, pricePerKwh: 0.08 });
    expect(priceOfSlotEvent({ ...event, eventName: 'prices' })).toBeUndefined();
    expect(priceOfSlotEvent({ ...event, intervalPeriod: { duration: 'PT5M' } })).toBeUndefined();
    expect(priceOfSlotEvent({ ...event, intervals: [{ payloads: [] }] })).toBeUndefined();
  });

  it('targets envelopes and dispatch to the participant and parses them back', () => {
    const envelope = envelopeEventRequest('prog-1', SLOT, {
      participantId: 'p1',
      importLimitKw: 5,
      exportLimitKw: null,
    });
    expect(envelope.targets).toEqual(['participant:p1']);
    expect(envelopeOfEvent(envelope)).toMatchObject({
      participantId: 'p1',
      importLimitKw: 5,
      exportLimitKw: null,
    });
    const dispatch = dispatchEventRequest('prog-1', SLOT, 'p2', -1.5);
    expect(dispatch.targets).toEqual(['participant:p2']);
    expect(dispatchOfEvent(dispatch)).toMatchObject({ participantId: 'p2', setpointKw: -1.5 });
    expect(dispatchOfEvent(envelope)).toBeUndefined();
  });

  it('writes and reads whole-second durations', () => {
    expect(isoDurationOfMs(300_000)).toBe('PT5M');
    expect(isoDurationOfMs(3_600_000 + 90_000)).toBe('PT1H1M30S');
    expect(msOfIsoDuration('PT1H1M30S')).toBe(3_690_000);
    expect(msOfIsoDuration('P1D')).toBe(86_400_000);
    expect(msOfIsoDuration('-PT5M')).toBe(-300_000);
    expect(msOfIsoDuration('P1M')).toBeUndefined();
  });
});
