/**
 * Objects as the VTN serves them: metadata first (VTN-assigned id, RFC 3339 creation and modification
 * times, objectType), then the client's properties, then what the VTN fills in (clientID, a report's
 * programID). Stored bodies are business logic's view and go out as stored, without re-serialising; a
 * VEN's view of a targeted program or event shows only the targets its read went through.
 */
import type { FastifyReply } from 'fastify';
import type { OpenAdrObjectType, StoredOpenAdrObject } from '../store/openadr-object-repository.js';
import { hiddenTargets } from './privacy.js';

export const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

export interface ObjectMetadata {
  readonly id: string;
  readonly objectType: OpenAdrObjectType;
  readonly createdMs: number;
  readonly modifiedMs: number;
}

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

/** The served object: metadata, the client's properties (its own `objectType` dropped), the VTN's. */
export function objectBody(
  meta: ObjectMetadata,
  fromClient: Record<string, unknown>,
  fromVtn: Record<string, unknown> = {},
): Record<string, unknown> {
  const { objectType: _requestType, ...properties } = fromClient;
  return {
    id: meta.id,
    createdDateTime: isoTime(meta.createdMs),
    modificationDateTime: isoTime(meta.modifiedMs),
    objectType: meta.objectType,
    ...properties,
    ...fromVtn,
  };
}

export function parseBody(stored: Pick<StoredOpenAdrObject, 'bodyText'>): Record<string, unknown> {
  return JSON.parse(stored.bodyText) as Record<string, unknown>;
}

export function targetsOf(body: Record<string, unknown>): string[] {
  const targets = body['targets'];
  return Array.isArray(targets) ? targets.filter((t): t is string => typeof t === 'string') : [];
}

/** The JSON a VEN gets for a targeted program or event read through `through`. */
export function venViewText(
  stored: Pick<StoredOpenAdrObject, 'bodyText' | 'targeted'>,
  through: readonly string[],
): string {
  if (!stored.targeted) return stored.bodyText;
  const body = parseBody(stored);
  return JSON.stringify({ ...body, targets: hiddenTargets(targetsOf(body), through) });
}

export function jsonArrayText(texts: readonly string[]): string {
  return `[${texts.join(',')}]`;
}

/** Sends JSON text as it is: Fastify does not serialise a string with a JSON content type again. */
export function sendJsonText(reply: FastifyReply, status: number, text: string): FastifyReply {
  return reply.code(status).type(JSON_CONTENT_TYPE).send(text);
}
