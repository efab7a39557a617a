/**
 * Errors in the published documents that no implementation can satisfy, and what the contract tests
 * assume instead. Each erratum patches a parsed copy, never the fixture, and knows how to tell that the
 * published document still has the error: `spec-contract.test.ts` fails when one is no longer needed, so
 * a corrected document is noticed. Nothing else is relaxed.
 */
import type {
  JsonObject,
  OpenApiDocument,
  OpenApiOperation,
  SpecVersion,
} from './published-document.fixture.js';

export interface Erratum {
  readonly id: string;
  readonly versions: readonly SpecVersion[];
  /** What the document says, why it cannot hold, and what the tests assume instead. */
  readonly why: string;
  readonly stillNeeded: (doc: OpenApiDocument) => boolean;
  readonly patch: (doc: OpenApiDocument) => void;
}

const schemas = (doc: OpenApiDocument) => doc.components.schemas as Record<string, JsonObject>;

function operationById(doc: OpenApiDocument, operationId: string): OpenApiOperation {
  for (const item of Object.values(doc.paths)) {
    for (const value of Object.values(item)) {
      if (!Array.isArray(value) && (value as OpenApiOperation).operationId === operationId) {
        return value as OpenApiOperation;
      }
    }
  }
  throw new Error(`no operation ${operationId}`);
}

/** `ven` and `resource` are allOf objectMetadata (objectType VEN/RESOURCE) and a request (objectType BL_...). */
function objectTypeClash(served: string, request: string): Erratum {
  return {
    id: `${served}-objectType`,
    versions: ['3.1.1'],
    why:
      `\`${served}\` is allOf objectMetadata (objectType one of PROGRAM ... RESOURCE) and ${request} ` +
      `(objectType must be ${request === 'BlVenRequest' ? 'BL_VEN_REQUEST' : 'BL_RESOURCE_REQUEST'}): no value ` +
      `satisfies both. The VTN serves objectMetadata's value (${served.toUpperCase()}), as the Definition's ` +
      `"Object Metadata" says; the tests check ${request}'s other properties.`,
    stillNeeded: (doc) => {
      const allOf = schemas(doc)[served]?.['allOf'] as JsonObject[] | undefined;
      const tag = (schemas(doc)[request]?.['properties'] as Record<string, JsonObject> | undefined)?.[
        'objectType'
      ];
      const tags = (tag?.['enum'] as string[] | undefined) ?? [];
      return (
        allOf?.some((s) => s['$ref'] === `#/components/schemas/${request}`) === true &&
        !tags.includes(served.toUpperCase())
      );
    },
    patch: (doc) => {
      const original = schemas(doc)[request] as JsonObject;
      const { objectType: _tag, ...properties } = original['properties'] as Record<string, JsonObject>;
      const required = (original['required'] as string[]).filter((r) => r !== 'objectType');
      const allOf = schemas(doc)[served]?.['allOf'] as JsonObject[];
      const index = allOf.findIndex((s) => s['$ref'] === `#/components/schemas/${request}`);
      allOf[index] = { ...original, properties, required };
    },
  };
}

/** An operation whose responses leave out a status the Definition requires of it. */
function missingStatus(operationId: string, status: string, why: string, from: string): Erratum {
  return {
    id: `${operationId}-${status}`,
    versions: ['3.1.1'],
    why,
    stillNeeded: (doc) => operationById(doc, operationId).responses[status] === undefined,
    patch: (doc) => {
      operationById(doc, operationId).responses[status] = { $ref: `#/components/responses/${from}` };
    },
  };
}

/**
 * Operations that need a token but list neither 401 nor 403 (updateProgram lists no 401; listAllNotifiers
 * lists only 200; the read_all MQTT topic operations list no 403): a secured operation can always meet a
 * caller without a token (401) or without the scope (403), as every other secured operation lists.
 */
function securedOperationsRefuse(): Erratum {
  const lacking = (doc: OpenApiDocument) =>
    Object.values(doc.paths).flatMap((item) =>
      Object.values(item).filter(
        (op): op is OpenApiOperation =>
          !Array.isArray(op) &&
          (op as OpenApiOperation).security !== undefined &&
          ((op as OpenApiOperation).responses['401'] === undefined ||
            (op as OpenApiOperation).responses['403'] === undefined),
      ),
    );
  return {
    id: 'secured-operations-401-403',
    versions: ['3.1.1'],
    why:
      'some operations that need a bearer token list no 401 or no 403 (updateProgram, listAllNotifiers, ' +
      'listAllMqttNotifierTopicsPrograms/Program/ProgramEvents); every other secured operation lists both.',
    stillNeeded: (doc) => lacking(doc).length > 0,
    patch: (doc) => {
      for (const op of lacking(doc)) {
        op.responses['401'] ??= { $ref: '#/components/responses/unauthorized' };
        op.responses['403'] ??= { $ref: '#/components/responses/forbidden' };
      }
    },
  };
}

export const ERRATA: readonly Erratum[] = [
  objectTypeClash('ven', 'BlVenRequest'),
  objectTypeClash('resource', 'BlResourceRequest'),
  missingStatus(
    'createVen',
    '409',
    'createVen lists no 409, but venName "must be unique within the scope of a VTN" (Definition, Object ' +
      'names) and the Definition lists "409 - Conflict (item already exists)" for every POST.',
    'conflict',
  ),
  securedOperationsRefuse(),
];

export function errataFor(version: SpecVersion): Erratum[] {
  return ERRATA.filter((e) => e.versions.includes(version));
}
