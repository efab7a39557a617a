/**
 * Schema validation with Ajv (the compiler Fastify itself uses), tuned so input is judged as sent:
 * bodies are never coerced, stripped or defaulted, and every schema says `additionalProperties: false`,
 * so an unknown key is an error rather than silently dropped. Query strings and path parameters are text
 * by nature, so only they are coerced (a query `fromMs=5` is the integer 5).
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifySchemaCompiler } from 'fastify';
import { TeError } from '../core/errors.js';
import { closestKey } from '../config/key-suggestion.js';

interface AjvErrorLike {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
  readonly schema?: unknown;
  readonly parentSchema?: unknown;
}

type CompileInput = { schema: unknown; method: string; url: string; httpPart?: string };
type BuildValidator = (input: CompileInput) => CompiledValidator;

const SHARED = { allErrors: true, verbose: true, removeAdditional: false } as const;

export function buildValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const factory = AjvCompiler() as unknown as (
    externalSchemas: object,
    options: { customOptions: object; plugins: unknown[] },
  ) => BuildValidator;
  const strict = factory(
    {},
    { customOptions: { ...SHARED, coerceTypes: false, useDefaults: false }, plugins: [] },
  );
  const textual = factory(
    {},
    { customOptions: { ...SHARED, coerceTypes: true, useDefaults: true }, plugins: [] },
  );
  return ((input: CompileInput) =>
    input.httpPart === 'querystring' || input.httpPart === 'params'
      ? finiteOnly(textual(input))
      : strict(input)) as unknown as FastifySchemaCompiler<unknown>;
}

type CompiledValidator = ((data: unknown, ...rest: unknown[]) => boolean) & {
  errors?: unknown;
  schemaEnv?: unknown;
};

/**
 * Ajv coerces the text `-Infinity` or `1e999` to a number that passes `integer` and `minimum`; a query
 * value must be a finite number once coerced, so those are refused here as the validation errors they are.
 */
function finiteOnly(validate: CompiledValidator): CompiledValidator {
  const wrapped: CompiledValidator = (data, ...rest) => {
    wrapped.errors = undefined;
    if (!validate(data, ...rest)) {
      wrapped.errors = validate.errors;
      return false;
    }
    const entries = typeof data === 'object' && data !== null ? Object.entries(data) : [];
    const bad = entries.find(([, v]) => typeof v === 'number' && !Number.isFinite(v));
    if (bad === undefined) return true;
    wrapped.errors = [
      { keyword: 'type', instancePath: `/${bad[0]}`, params: {}, message: 'must be a finite number' },
    ];
    return false;
  };
  wrapped.schemaEnv = validate.schemaEnv;
  return wrapped;
}

/** Ajv's errors as coded errors with JSON paths, union branch noise removed. */
export function validationErrors(errors: readonly AjvErrorLike[], part: string): TeError[] {
  const unionPaths = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const out: TeError[] = [];
  for (const e of errors) {
    const insideUnion = [...unionPaths].some(
      (p) => e.instancePath === p || e.instancePath.startsWith(`${p}/`),
    );
    if (e.keyword !== 'anyOf' && insideUnion) continue;
    out.push(toTeError(e, part));
  }
  return out;
}

function toTeError(e: AjvErrorLike, part: string): TeError {
  if (e.keyword === 'additionalProperties') {
    const key = String(e.params['additionalProperty']);
    const known = knownKeys(e.parentSchema);
    return new TeError('TE_ERR_UNKNOWN_KEY', `unknown key '${key}'`, {
      path: jsonPath(part, e.instancePath, key),
      hint: suggestKey(key, known),
    });
  }
  if (e.keyword === 'required') {
    const key = String(e.params['missingProperty']);
    return new TeError('TE_ERR_VALIDATION', `required key '${key}' is missing`, {
      path: jsonPath(part, e.instancePath, key),
      hint: `add '${key}'`,
    });
  }
  const where = jsonPath(part, e.instancePath);
  if (e.keyword === 'anyOf') {
    const allowed = allowedConstants(e.schema);
    return new TeError('TE_ERR_VALIDATION', `${where} is not one of the allowed values`, {
      path: where,
      ...(allowed.length > 0 ? { hint: `use one of: ${allowed.join(', ')}` } : {}),
    });
  }
  return new TeError('TE_ERR_VALIDATION', `${where} ${e.message ?? 'is invalid'}`, {
    path: where,
    hint: 'see the operation schema in /openapi.json',
  });
}

/** `/steps/0/price` in the body becomes `steps[0].price`; query and params keep their part as prefix. */
export function jsonPath(part: string, instancePath: string, key?: string): string {
  const segments = instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
  if (key !== undefined) segments.push(key);
  const prefix = part === 'body' ? '' : part === 'querystring' ? 'query' : part;
  let path = prefix;
  for (const s of segments) {
    if (/^\d+$/.test(s)) path += `[${s}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(s)) path += path === '' ? s : `.${s}`;
    else path += `[${JSON.stringify(s)}]`;
  }
  return path === '' ? '(body)' : path;
}

function knownKeys(schema: unknown): string[] {
  if (typeof schema !== 'object' || schema === null || !('properties' in schema)) return [];
  const properties = (schema as { properties: unknown }).properties;
  return typeof properties === 'object' && properties !== null ? Object.keys(properties) : [];
}

function allowedConstants(schema: unknown): string[] {
  if (!Array.isArray(schema)) return [];
  return schema
    .map((branch: unknown) =>
      typeof branch === 'object' && branch !== null && 'const' in branch ? JSON.stringify(branch.const) : '',
    )
    .filter((s) => s !== '');
}

function suggestKey(key: string, known: readonly string[]): string {
  if (known.length === 0) return 'remove it';
  const best = closestKey(key, known);
  return best !== undefined
    ? `did you mean '${best}'?`
    : `remove it; known keys: ${known.slice(0, 12).join(', ')}`;
}
