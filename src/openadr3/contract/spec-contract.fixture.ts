/**
 * Checks requests and responses against a published OpenADR document: the operation exists for the
 * method and path, the query parameters are declared and valid, the body matches the request schema,
 * the status is one the operation lists, and the body matches that response's schema (formats too).
 * Error bodies are RFC 9457 problems sent as `application/problem+json`, which the document declares as
 * `application/json`: a JSON media type with the `problem` schema, which they must match. It records
 * which operations answered with which statuses, so a suite can check its coverage.
 */
import { AjvCompiler, type Ajv } from '@fastify/ajv-compiler';
import { errataFor } from './spec-errata.fixture.js';
import {
  loadPublishedDocument,
  operationsOf,
  resolveLocal,
  toJsonSchema,
  type JsonObject,
  type OpenApiDocument,
  type OpenApiOperation,
  type SpecVersion,
} from './published-document.fixture.js';

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

export interface ContractRequest {
  readonly method: string;
  /** The URL below the VTN's base path, with its query string. */
  readonly url: string;
  readonly body?: unknown;
  readonly contentType?: string;
}

export interface ContractResponse {
  readonly status: number;
  readonly contentType: string | undefined;
  readonly body: unknown;
}

interface MatchedOperation {
  readonly operationId: string;
  readonly template: string;
  readonly operation: OpenApiOperation;
  readonly parameters: readonly JsonObject[];
  readonly pathValues: Readonly<Record<string, string>>;
}

export class SpecContract {
  readonly doc: OpenApiDocument;
  readonly #ajv: Ajv;
  readonly #base: string;
  readonly #operations: {
    regex: RegExp;
    names: string[];
    method: string;
    match: Omit<MatchedOperation, 'pathValues'>;
  }[];
  readonly #validators = new Map<string, Validate>();
  /** operationId → statuses seen. */
  readonly seen = new Map<string, Set<number>>();

  constructor(
    readonly version: SpecVersion,
    options: { errata?: boolean } = {},
  ) {
    const doc = loadPublishedDocument(version);
    if (options.errata !== false) for (const erratum of errataFor(version)) erratum.patch(doc);
    this.doc = doc;
    this.#base = `openadr3-${version}.json`;
    this.#ajv = newAjv();
    this.#ajv.addSchema(
      { components: { schemas: toJsonSchema(doc.components.schemas, this.#base) } },
      this.#base,
    );
    this.#operations = operationsOf(doc)
      .map(({ method, path, operation, pathParameters }) => {
        const names = [...path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
        const regex = new RegExp(`^${path.replace(/\{\w+\}/g, '([^/]+)')}$`);
        const parameters = [...pathParameters, ...(operation.parameters ?? [])].map((p) =>
          resolveLocal(doc, p),
        );
        const operationId = operation.operationId ?? `${method} ${path}`;
        return { regex, names, method, match: { operationId, template: path, operation, parameters } };
      })
      // Literal paths before templated ones of the same shape.
      .sort((a, b) => a.names.length - b.names.length);
  }

  match(method: string, url: string): MatchedOperation | undefined {
    const path = new URL(url, 'http://vtn').pathname;
    for (const candidate of this.#operations) {
      if (candidate.method !== method.toLowerCase()) continue;
      const m = candidate.regex.exec(path);
      if (m === null) continue;
      const pathValues = Object.fromEntries(
        candidate.names.map((n, k) => [n, decodeURIComponent(m[k + 1] ?? '')]),
      );
      return { ...candidate.match, pathValues };
    }
    return undefined;
  }

  /** What is wrong with a request by the document (empty when it conforms). */
  requestErrors(request: ContractRequest): string[] {
    const matched = this.match(request.method, request.url);
    if (matched === undefined)
      return [`no operation ${request.method} ${request.url} in OpenADR ${this.version}`];
    const errors: string[] = [];
    const query = new URL(request.url, 'http://vtn').searchParams;
    for (const name of new Set(query.keys())) {
      const parameter = matched.parameters.find((p) => p['in'] === 'query' && p['name'] === name);
      if (parameter === undefined) errors.push(`query parameter '${name}' is not declared`);
      else
        errors.push(
          ...this.#check(
            parameter['schema'],
            queryValue(parameter['schema'], query.getAll(name)),
            `query.${name}`,
          ),
        );
    }
    for (const [name, value] of Object.entries(matched.pathValues)) {
      const parameter = matched.parameters.find((p) => p['in'] === 'path' && p['name'] === name);
      errors.push(...this.#check(parameter?.['schema'], value, `path.${name}`));
    }
    const content = matched.operation.requestBody?.content;
    if (content !== undefined && request.body !== undefined) {
      const mediaType = request.contentType ?? 'application/json';
      const declared = content[mediaType];
      if (declared === undefined) errors.push(`request media type ${mediaType} is not declared`);
      else {
        const body = mediaType.includes('form')
          ? Object.fromEntries(new URLSearchParams(String(request.body)))
          : request.body;
        errors.push(...this.#check(declared.schema, body, 'body'));
      }
    }
    return errors;
  }

  /** What is wrong with a response by the document (empty when it conforms); records the status. */
  responseErrors(request: ContractRequest, response: ContractResponse): string[] {
    const matched = this.match(request.method, request.url);
    if (matched === undefined)
      return [`no operation ${request.method} ${request.url} in OpenADR ${this.version}`];
    const statuses = this.seen.get(matched.operationId) ?? new Set<number>();
    statuses.add(response.status);
    this.seen.set(matched.operationId, statuses);
    const listed =
      matched.operation.responses[String(response.status)] ?? matched.operation.responses['default'];
    if (listed === undefined) return [`${matched.operationId} does not list status ${response.status}`];
    const content = resolveLocal(this.doc, listed)['content'] as
      Record<string, { schema?: JsonObject }> | undefined;
    if (content === undefined) return [];
    const mediaType = (response.contentType ?? '').split(';')[0]?.trim() ?? '';
    const declared =
      content[mediaType] ??
      (mediaType === 'application/problem+json' ? content['application/json'] : undefined);
    if (declared === undefined)
      return [`${matched.operationId} ${response.status}: media type '${mediaType}' is not declared`];
    return this.#check(declared.schema, response.body, `${matched.operationId} ${response.status} body`);
  }

  /** Validates a value against a schema of the document, e.g. `#/components/schemas/program`. */
  schemaErrors(pointer: string, value: unknown): string[] {
    return this.#check({ $ref: pointer }, value, pointer);
  }

  operationIds(): string[] {
    return this.#operations.map((o) => o.match.operationId);
  }

  listedStatuses(operationId: string): number[] {
    const found = this.#operations.find((o) => o.match.operationId === operationId);
    return Object.keys(found?.match.operation.responses ?? {})
      .filter((s) => /^\d+$/.test(s))
      .map(Number);
  }

  #check(schema: unknown, value: unknown, where: string): string[] {
    if (schema === undefined) return [];
    const key = JSON.stringify(schema);
    let validate = this.#validators.get(key);
    if (validate === undefined) {
      validate = this.#ajv.compile(toJsonSchema(schema, this.#base) as object) as Validate;
      this.#validators.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map((e) => `${where}: ${JSON.stringify(e)}`);
  }
}

/** Query text as the parameter's schema types it (OpenAPI's form style: repeated keys for arrays). */
function queryValue(schema: unknown, values: string[]): unknown {
  const type = (schema as JsonObject | undefined)?.['type'];
  const scalar = (text: string) => {
    if (type === 'integer' || type === 'number') return /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
    if (type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
    return text;
  };
  return type === 'array' ? values : scalar(values[values.length - 1] ?? '');
}

/** An Ajv 8 with formats, as Fastify builds it, told to validate only: no coercion, defaults or removal. */
function newAjv(): Ajv {
  let ajv: Ajv | undefined;
  const factory = AjvCompiler();
  factory(
    {},
    {
      customOptions: {
        strict: false,
        allErrors: true,
        coerceTypes: false,
        useDefaults: false,
        removeAdditional: false,
        validateFormats: true,
      },
      onCreate: (instance) => {
        ajv = instance;
      },
    },
  );
  if (ajv === undefined) throw new Error('Ajv was not created');
  return ajv;
}
