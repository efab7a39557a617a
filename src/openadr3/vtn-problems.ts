/**
 * The VTN's error answers: RFC 9457 problems like the rest of the API (the spec's `problem` object,
 * which they match), with an absolute `instance` URI as the spec's schema asks, and request validation
 * that knows OpenADR: bodies are checked with the spec's discriminator (`objectType` picks the branch,
 * and only that branch's errors are reported), and a 3.0.1-style target object gets a hint.
 */
import { AjvCompiler } from '@fastify/ajv-compiler';
import type { FastifyError, FastifyReply, FastifyRequest, FastifySchemaCompiler } from 'fastify';
import { TeError } from '../core/errors.js';
import { codedErrorsOf } from '../server/error-handler.js';
import { instanceOf, problemOf, sendProblem, type Problem } from '../server/problem.js';
import { buildValidatorCompiler, validationErrors } from '../server/validation.js';

interface AjvError {
  readonly keyword: string;
  readonly instancePath: string;
  readonly params: Record<string, unknown>;
  readonly message?: string;
}

type CompileInput = { schema: unknown; method: string; url: string; httpPart?: string };

/** Bodies: strict (no coercion, no defaults) with the discriminator; query and path: the API's own. */
export function openAdrValidatorCompiler(): FastifySchemaCompiler<unknown> {
  const factory = AjvCompiler() as unknown as (
    externalSchemas: object,
    options: { customOptions: object; plugins: unknown[] },
  ) => (input: CompileInput) => unknown;
  const bodies = factory(
    {},
    {
      customOptions: {
        allErrors: true,
        verbose: true,
        removeAdditional: false,
        coerceTypes: false,
        useDefaults: false,
        discriminator: true,
      },
      plugins: [],
    },
  );
  const others = buildValidatorCompiler() as unknown as (input: CompileInput) => unknown;
  return ((input: CompileInput) =>
    input.httpPart === 'body' ? bodies(input) : others(input)) as unknown as FastifySchemaCompiler<unknown>;
}

/** The coded errors of anything thrown in a VTN request; undefined for a bug (logged, answered 500). */
export function openAdrErrorsOf(error: unknown): [TeError, ...TeError[]] | undefined {
  const validation = (error as Partial<FastifyError> | null)?.validation as AjvError[] | undefined;
  if (Array.isArray(validation)) {
    const context = (error as { validationContext?: string }).validationContext ?? 'body';
    const found = openAdrValidationErrors(validation, context);
    const [first, ...rest] = found;
    if (first !== undefined) return [first, ...rest];
  }
  return codedErrorsOf(error);
}

function openAdrValidationErrors(errors: readonly AjvError[], context: string): TeError[] {
  const out: TeError[] = [];
  for (const e of errors) {
    if (e.keyword === 'discriminator') out.push(discriminatorError(e, context));
    else out.push(...validationErrors([e], context).map((t) => withTargetHint(t)));
  }
  return out;
}

function discriminatorError(e: AjvError, context: string): TeError {
  const [base] = validationErrors([{ ...e, keyword: 'type' }], context);
  const where = base?.path ?? '(body)';
  const path = where === '(body)' ? 'objectType' : `${where}.objectType`;
  const value = e.params['tagValue'];
  const detail =
    value === undefined
      ? `required key 'objectType' is missing`
      : `objectType ${JSON.stringify(value)} is not one this operation takes`;
  return new TeError('TE_ERR_VALIDATION', detail, {
    path,
    hint: 'objectType names the kind of request, e.g. VEN_VEN_REQUEST or BL_VEN_REQUEST (see the operation schema)',
  });
}

const TARGET_ITEM = /(^|\.)targets\[\d+\]$/;

function withTargetHint(error: TeError): TeError {
  if (error.path === undefined || !TARGET_ITEM.test(error.path)) return error;
  return new TeError(error.code, error.message, {
    path: error.path,
    hint: 'OpenADR 3.1 targets are strings such as "group-1"; 3.0.1 target objects ({type, values}) are not taken',
  });
}

/** The request's absolute URI, for the problem's `instance` (the spec's schema wants a URI). */
export function absoluteInstance(request: FastifyRequest): string {
  const host = /^[A-Za-z0-9.:[\]-]{1,255}$/.test(request.host) ? request.host : 'localhost';
  return `${request.protocol}://${host}${instanceOf(request.url)}`;
}

export function openAdrProblem(errors: readonly [TeError, ...TeError[]], request: FastifyRequest): Problem {
  return problemOf(errors, absoluteInstance(request));
}

/** Sends a thrown value as a problem; `extend` adds members (the token endpoint's OAuth `error`). */
export function sendOpenAdrError(
  error: unknown,
  request: FastifyRequest,
  reply: FastifyReply,
  extend: (problem: Problem) => Problem = (p) => p,
): FastifyReply {
  const coded = openAdrErrorsOf(error);
  if (coded === undefined || coded[0].code === 'TE_ERR_INTERNAL') {
    request.log.error({ err: error }, 'unexpected error in the OpenADR VTN');
    const internal = new TeError('TE_ERR_INTERNAL', 'the VTN failed to handle this request', {
      hint: 'retry later; if it keeps failing, report it with the time and the request',
    });
    return sendProblem(reply, extend(openAdrProblem([internal], request)));
  }
  return sendProblem(reply, extend(openAdrProblem(coded.map(withOpenAdrTokenHint) as typeof coded, request)));
}

/** The API's 401 hint names its own token endpoint; OpenADR clients use the VTN's. */
function withOpenAdrTokenHint(error: TeError): TeError {
  if (error.code !== 'TE_ERR_UNAUTHORIZED') return error;
  return new TeError(error.code, error.message, {
    ...(error.path === undefined ? {} : { path: error.path }),
    hint: 'get a token from POST /openadr3/auth/token (client credentials; GET /openadr3/auth/server says where)',
  });
}

export function routeNotFound(request: FastifyRequest): TeError {
  return new TeError(
    'TE_ERR_NOT_FOUND',
    `no OpenADR operation ${request.method} ${instanceOf(request.url)}`,
    {
      hint: 'see docs/protocols/openadr3.md for the VTN operations',
    },
  );
}
