/**
 * The OpenADR 3 OpenAPI documents as published (test/fixtures/openadr3, copied byte for byte), and their
 * schemas as JSON Schema for Ajv. OpenAPI 3.0 schemas are not quite JSON Schema: `nullable: true` widens
 * the type to null, `exclusiveMaximum: true` qualifies `maximum`, `format: int32` bounds an integer,
 * a `$ref` ignores its siblings, and `example`/`discriminator` are annotations. This converts exactly
 * those, nothing else, so what Ajv checks is what the document says.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

export type SpecVersion = '3.1.1' | '3.0.1';

export type JsonObject = { [key: string]: unknown };

export interface OpenApiOperation {
  readonly operationId?: string;
  readonly parameters?: readonly JsonObject[];
  readonly requestBody?: { readonly content?: Record<string, { readonly schema?: JsonObject }> };
  readonly responses: Record<string, JsonObject>;
  readonly security?: readonly Record<string, readonly string[]>[];
}

export interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, OpenApiOperation | readonly JsonObject[]>>;
  readonly components: {
    readonly schemas: Record<string, JsonObject>;
    readonly responses: Record<string, JsonObject>;
  };
}

export const HTTP_METHODS = ['get', 'post', 'put', 'delete', 'patch'] as const;

export function publishedDocumentText(version: SpecVersion): string {
  return readFileSync(
    new URL(`../../../test/fixtures/openadr3/${version}/openadr3.yaml`, import.meta.url),
    'utf8',
  );
}

/** A fresh parse of the published document (errata patch the copy, never the file). */
export function loadPublishedDocument(version: SpecVersion): OpenApiDocument {
  return parse(publishedDocumentText(version)) as OpenApiDocument;
}

/** Every operation of a document: method, path template, the operation and the path's parameters. */
export function operationsOf(doc: OpenApiDocument) {
  const out: {
    method: string;
    path: string;
    operation: OpenApiOperation;
    pathParameters: readonly JsonObject[];
  }[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    const pathParameters = (item['parameters'] as readonly JsonObject[] | undefined) ?? [];
    for (const method of HTTP_METHODS) {
      const operation = item[method] as OpenApiOperation | undefined;
      if (operation !== undefined) out.push({ method, path, operation, pathParameters });
    }
  }
  return out;
}

const ANNOTATIONS = new Set(['example', 'discriminator', 'xml', 'externalDocs', 'deprecated']);
const INT32 = { minimum: -2_147_483_648, maximum: 2_147_483_647 };

/** An OpenAPI 3.0 schema as JSON Schema (draft 7); `$ref`s point into the schema registered as `base`. */
export function toJsonSchema(node: unknown, base: string): unknown {
  if (Array.isArray(node)) return node.map((n) => toJsonSchema(n, base));
  if (typeof node !== 'object' || node === null) return node;
  const source = node as JsonObject;
  if (typeof source['$ref'] === 'string') return { $ref: `${base}${source['$ref']}` };
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(source)) {
    if (ANNOTATIONS.has(key) || key === 'nullable') continue;
    out[key] = key === 'properties' ? mapValues(value, base) : toJsonSchema(value, base);
  }
  if (source['nullable'] === true) {
    if (typeof out['type'] === 'string') out['type'] = [out['type'], 'null'];
    if (Array.isArray(out['enum'])) out['enum'] = [...(out['enum'] as unknown[]), null];
  }
  for (const [flag, bound] of [
    ['exclusiveMaximum', 'maximum'],
    ['exclusiveMinimum', 'minimum'],
  ] as const) {
    if (typeof out[flag] !== 'boolean') continue;
    if (out[flag] === true) out[flag] = out[bound];
    else delete out[flag];
    if (out[flag] !== undefined) delete out[bound];
  }
  if (out['format'] === 'int32') {
    out['minimum'] = Math.max(Number(out['minimum'] ?? INT32.minimum), INT32.minimum);
    out['maximum'] = Math.min(Number(out['maximum'] ?? INT32.maximum), INT32.maximum);
    delete out['format'];
  } else if (out['format'] === 'int64' || out['format'] === 'float' || out['format'] === 'double') {
    delete out['format'];
  }
  return out;
}

/** `properties` maps names to schemas: its keys are property names, never keywords. */
function mapValues(value: unknown, base: string): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJsonSchema(v, base)]));
}

/** Follows a local `$ref` (`#/components/...`) in the document itself. */
export function resolveLocal(doc: OpenApiDocument, node: JsonObject): JsonObject {
  let current = node;
  for (let hops = 0; typeof current['$ref'] === 'string' && hops < 10; hops++) {
    const pointer = (current['$ref'] as string).replace(/^#\//, '').split('/');
    let target: unknown = doc;
    for (const part of pointer) target = (target as JsonObject | undefined)?.[part];
    if (typeof target !== 'object' || target === null)
      throw new Error(`unresolved ${String(current['$ref'])}`);
    current = target as JsonObject;
  }
  return current;
}
