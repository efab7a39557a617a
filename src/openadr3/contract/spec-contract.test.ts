/**
 * The contract checker itself: it reads the published documents, converts OpenAPI 3.0's schema dialect
 * faithfully, refuses what the documents refuse, and each erratum it applies is still needed.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadPublishedDocument, publishedDocumentText, toJsonSchema } from './published-document.fixture.js';
import { SpecContract } from './spec-contract.fixture.js';
import { ERRATA } from './spec-errata.fixture.js';

const VEN = {
  id: 'v1',
  createdDateTime: '2026-01-01T00:00:00.000Z',
  modificationDateTime: '2026-01-01T00:00:00.000Z',
  objectType: 'VEN',
  clientID: 'c1',
  venName: 'home',
};
const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

describe('published OpenADR documents', () => {
  it('are the files SOURCE.md names, byte for byte', () => {
    const sha = (v: '3.1.1' | '3.0.1') => createHash('sha256').update(publishedDocumentText(v)).digest('hex');
    expect(sha('3.1.1')).toBe('0a85f28a91565b3e2c7488d2a7a7a9afb11ce3ef6b35afddb328484720077006');
    expect(sha('3.0.1')).toBe('3418d267d5a916265f5a1c7e08641da8c3507b39abf682d7902658b57fc2e7e7');
    expect(loadPublishedDocument('3.1.1').openapi).toBe('3.0.0');
  });

  it('convert nullable, boolean exclusive bounds, int32, $ref siblings and annotations as OpenAPI 3.0 means them', () => {
    expect(toJsonSchema({ type: 'string', nullable: true, example: 'x' }, 'b')).toEqual({
      type: ['string', 'null'],
    });
    expect(toJsonSchema({ type: 'string', enum: ['A'], nullable: true }, 'b')).toEqual({
      type: ['string', 'null'],
      enum: ['A', null],
    });
    expect(toJsonSchema({ type: 'integer', maximum: 600, exclusiveMaximum: true }, 'b')).toEqual({
      type: 'integer',
      exclusiveMaximum: 600,
    });
    expect(toJsonSchema({ type: 'integer', maximum: 5, exclusiveMaximum: false }, 'b')).toEqual({
      type: 'integer',
      maximum: 5,
    });
    expect(toJsonSchema({ type: 'integer', format: 'int32', minimum: 0 }, 'b')).toEqual({
      type: 'integer',
      minimum: 0,
      maximum: 2_147_483_647,
    });
    expect(toJsonSchema({ $ref: '#/components/schemas/x', description: 'ignored' }, 'doc')).toEqual({
      $ref: 'doc#/components/schemas/x',
    });
    expect(toJsonSchema({ properties: { example: { type: 'string' } } }, 'b')).toEqual({
      properties: { example: { type: 'string' } },
    });
  });

  it('refuses what the document refuses: formats, bounds, required properties, undeclared parameters', () => {
    const contract = new SpecContract('3.1.1');
    expect(contract.schemaErrors('#/components/schemas/ven', VEN)).toEqual([]);
    expect(
      contract.schemaErrors('#/components/schemas/ven', { ...VEN, createdDateTime: 'yesterday' }),
    ).not.toEqual([]);
    expect(contract.schemaErrors('#/components/schemas/ven', { ...VEN, clientID: undefined })).not.toEqual(
      [],
    );
    expect(contract.schemaErrors('#/components/schemas/problem', { status: 600 })).not.toEqual([]);
    expect(
      contract.schemaErrors('#/components/schemas/problem', { status: 599, instance: '/x' }),
    ).not.toEqual([]);
    expect(
      contract.schemaErrors('#/components/schemas/problem', { status: 599, instance: 'http://h/x' }),
    ).toEqual([]);
    expect(contract.schemaErrors('#/components/schemas/interval', { id: 2 ** 31, payloads: [] })).not.toEqual(
      [],
    );
    expect(
      contract.schemaErrors('#/components/schemas/eventRequest', { programID: 'p', eventName: null }),
    ).toEqual([]);
    expect(
      contract.requestErrors({ method: 'GET', url: '/programs?limit=50&skip=0&targets=a&targets=b' }),
    ).toEqual([]);
    expect(contract.requestErrors({ method: 'GET', url: '/programs?limit=51' })).not.toEqual([]);
    expect(contract.requestErrors({ method: 'GET', url: '/programs?programID=x' })).not.toEqual([]);
    expect(contract.requestErrors({ method: 'GET', url: '/programs/bad$id' })).not.toEqual([]);
    expect(contract.requestErrors({ method: 'PATCH', url: '/programs' })).not.toEqual([]);
    expect(
      contract.requestErrors({ method: 'POST', url: '/programs', body: { programName: '' } }),
    ).not.toEqual([]);
  });

  it('checks statuses and media types: problems may be application/problem+json, other types may not', () => {
    const contract = new SpecContract('3.1.1');
    const request = { method: 'GET', url: '/programs/p1' };
    const problem = {
      type: 'https://tenet.energy/errors/X',
      title: 'x',
      status: 404,
      instance: 'http://h/p',
    };
    expect(
      contract.responseErrors(request, { status: 404, contentType: PROBLEM_JSON, body: problem }),
    ).toEqual([]);
    expect(
      contract.responseErrors(request, { status: 409, contentType: PROBLEM_JSON, body: problem }),
    ).not.toEqual([]);
    expect(
      contract.responseErrors(request, { status: 404, contentType: 'text/plain', body: 'x' }),
    ).not.toEqual([]);
    expect(
      contract.responseErrors(request, { status: 200, contentType: 'application/json', body: {} }),
    ).not.toEqual([]);
    expect(contract.seen.get('searchProgramByProgramId')).toEqual(new Set([404, 409, 200]));
  });

  it('applies only errata the published document still needs', () => {
    for (const erratum of ERRATA) {
      for (const version of erratum.versions) {
        expect(erratum.stillNeeded(loadPublishedDocument(version)), `${erratum.id} (${version})`).toBe(true);
        const patched = loadPublishedDocument(version);
        erratum.patch(patched);
        expect(erratum.stillNeeded(patched), `${erratum.id} patched`).toBe(false);
      }
    }
    const asPublished = new SpecContract('3.1.1', { errata: false });
    // No ven or resource object can match the published schemas (objectType VEN and BL_VEN_REQUEST at once).
    for (const objectType of ['VEN', 'BL_VEN_REQUEST']) {
      expect(asPublished.schemaErrors('#/components/schemas/ven', { ...VEN, objectType })).not.toEqual([]);
    }
  });
});
