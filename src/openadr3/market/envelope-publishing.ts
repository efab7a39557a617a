/**
 * Operating envelopes for one slot, as OpenADR events: one event per participant and slot, named after
 * both and targeted `participant:{id}`, so only that participant's VEN (and its aggregator's) reads it.
 * Sending a participant's envelope for a slot again replaces its event (a DSO revises a limit); the
 * market's program is created when missing. Every write goes through VtnObjects: audited as the caller,
 * published on the change feed.
 */
import { TeError } from '../../core/errors.js';
import type { Caller } from '../../server/auth/tokens.js';
import { notFound } from '../../server/problem.js';
import type { VtnObjects } from '../vtn-objects.js';
import { registeredParticipantIds } from '../../store/registry-repository.js';
import { marketSettings } from './cleared-slots.js';
import { envelopeEventRequest, marketProgramRequest, type EnvelopeLimits } from './market-mapping.js';
import { createOrReplaceEvent, ensureProgram, MARKET_PUBLISHER } from './market-objects.js';

export interface EnvelopeInput {
  readonly participantId: string;
  readonly importLimitKw?: number | null | undefined;
  readonly exportLimitKw?: number | null | undefined;
}

export interface PublishedEnvelope {
  readonly participantId: string;
  readonly eventId: string;
  readonly eventName: string;
}

/** Validates every envelope first (nothing is written when one is bad), then publishes them in order. */
export async function publishEnvelopes(
  objects: VtnObjects,
  caller: Caller,
  marketId: string,
  slotStartMs: number,
  envelopes: readonly EnvelopeInput[],
): Promise<PublishedEnvelope[]> {
  const market = await marketSettings(objects.db, marketId);
  if (market === undefined) throw notFound(`no market '${marketId}'`, 'params.marketId');
  if (slotStartMs % market.slotDurationMs !== 0) {
    throw invalid(
      'params.slotStart',
      `${slotStartMs} is not the start of a slot of market '${marketId}' (slots are ${market.slotDurationMs} ms long, from the epoch)`,
    );
  }
  if (slotStartMs + market.slotDurationMs <= objects.nowMs()) {
    throw invalid('params.slotStart', `slot ${new Date(slotStartMs).toISOString()} is over`);
  }
  const limits = await checkedLimits(objects, envelopes);
  const programId = await ensureProgram(objects, MARKET_PUBLISHER, marketProgramRequest(market));
  const slot = { marketId, slotStartMs, slotDurationMs: market.slotDurationMs };
  const published: PublishedEnvelope[] = [];
  for (const envelope of limits) {
    const request = envelopeEventRequest(programId, slot, envelope);
    const stored = await createOrReplaceEvent(objects, caller, request);
    published.push({
      participantId: envelope.participantId,
      eventId: stored.id,
      eventName: request.eventName ?? '',
    });
  }
  return published;
}

async function checkedLimits(
  objects: VtnObjects,
  envelopes: readonly EnvelopeInput[],
): Promise<EnvelopeLimits[]> {
  const seen = new Set<string>();
  for (const [k, e] of envelopes.entries()) {
    if (seen.has(e.participantId)) {
      throw invalid(`body.envelopes[${k}].participantId`, `participant '${e.participantId}' appears twice`);
    }
    seen.add(e.participantId);
    if ((e.importLimitKw ?? null) === null && (e.exportLimitKw ?? null) === null) {
      throw invalid(`body.envelopes[${k}]`, 'an envelope needs importLimitKw, exportLimitKw or both');
    }
  }
  const known = await registeredParticipantIds(objects.db, [...seen]);
  const unknownAt = envelopes.findIndex((e) => !known.has(e.participantId));
  if (unknownAt >= 0) {
    throw invalid(
      `body.envelopes[${unknownAt}].participantId`,
      `no participant '${envelopes[unknownAt]?.participantId}'`,
    );
  }
  return envelopes.map((e) => ({
    participantId: e.participantId,
    importLimitKw: e.importLimitKw ?? null,
    exportLimitKw: e.exportLimitKw ?? null,
  }));
}

function invalid(path: string, message: string): TeError {
  return new TeError('TE_ERR_VALIDATION', message, {
    path,
    hint: 'see docs/protocols/openadr3.md, The market on OpenADR: operating envelopes',
  });
}
