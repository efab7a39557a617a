/**
 * One place where anything thrown in a request becomes a problem response: coded errors keep their
 * code, Fastify's own errors (validation, body parsing, size, media type) get theirs from the
 * catalogue, and anything unexpected is logged and answered as TE_ERR_INTERNAL without detail.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isTeError, TeError, type ErrorCode } from '../core/errors.js';
import { instanceOf, problemOf, sendProblem } from './problem.js';
import { validationErrors } from './validation.js';

const FASTIFY_CODES: Readonly<Record<string, [ErrorCode, string, string]>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: [
    'TE_ERR_INPUT_TOO_LARGE',
    'the request body is larger than this route accepts',
    'send a smaller body (see docs/api.md, Limits); split reading batches',
  ],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: [
    'TE_ERR_UNSUPPORTED_MEDIA_TYPE',
    'the request body has a content type this route does not accept',
    "send 'Content-Type: application/json' (or form-encoded at /oauth/token)",
  ],
  FST_ERR_CTP_INVALID_TYPE: [
    'TE_ERR_UNSUPPORTED_MEDIA_TYPE',
    'the Content-Type header is not valid',
    "send 'Content-Type: application/json'",
  ],
  FST_ERR_CTP_EMPTY_JSON_BODY: [
    'TE_ERR_INVALID_JSON',
    'the body is empty but declared as JSON',
    'send a JSON document, or no Content-Type when there is no body',
  ],
  FST_ERR_CTP_INVALID_JSON_BODY: [
    'TE_ERR_INVALID_JSON',
    'the body is not valid JSON (or uses a forbidden key such as __proto__)',
    'send strict JSON (RFC 8259); NaN and Infinity are not JSON',
  ],
  FST_ERR_BAD_URL: [
    'TE_ERR_VALIDATION',
    'the URL is not valid (malformed percent-encoding)',
    'percent-encode path and query values as UTF-8',
  ],
  FST_ERR_MAX_PARAM_LENGTH: [
    'TE_ERR_VALIDATION',
    'a path parameter is too long',
    'ids are at most 64 characters',
  ],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: [
    'TE_ERR_VALIDATION',
    'the Content-Length header does not match the body',
    'let the HTTP client compute Content-Length',
  ],
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  401: 'TE_ERR_UNAUTHORIZED',
  403: 'TE_ERR_FORBIDDEN',
  404: 'TE_ERR_NOT_FOUND',
  413: 'TE_ERR_INPUT_TOO_LARGE',
  415: 'TE_ERR_UNSUPPORTED_MEDIA_TYPE',
  429: 'TE_ERR_RATE_LIMITED',
  503: 'TE_ERR_UNAVAILABLE',
};

/** The coded errors for a thrown value, or undefined when it is a bug (to be logged, not shown). */
export function codedErrorsOf(error: unknown): [TeError, ...TeError[]] | undefined {
  if (isTeError(error)) return [error];
  if (typeof error !== 'object' || error === null) return undefined;
  const fastifyError = error as Partial<FastifyError> & { validationContext?: string };
  if (Array.isArray(fastifyError.validation)) {
    const found = validationErrors(fastifyError.validation, fastifyError.validationContext ?? 'body');
    const [first, ...rest] = found;
    if (first !== undefined) return [first, ...rest];
    return [new TeError('TE_ERR_VALIDATION', 'the request does not match its schema')];
  }
  const known = fastifyError.code === undefined ? undefined : FASTIFY_CODES[fastifyError.code];
  if (known !== undefined) return [new TeError(known[0], known[1], { hint: known[2] })];
  // Malformed JSON from a parser of our own (form bodies) and other client errors Fastify flags as 4xx.
  if (error instanceof SyntaxError) {
    return [new TeError('TE_ERR_INVALID_JSON', 'the body could not be parsed', { hint: 'send valid JSON' })];
  }
  const status = fastifyError.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return [new TeError(BY_STATUS[status] ?? 'TE_ERR_VALIDATION', 'the request was refused as malformed')];
  }
  return undefined;
}

/** For Fastify's `frameworkErrors` option: errors raised while routing (bad URL encoding, long params). */
export function frameworkErrorProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  const coded = codedErrorsOf(error) ?? [
    new TeError('TE_ERR_VALIDATION', 'the request was refused as malformed'),
  ];
  void sendProblem(reply, problemOf(coded, instanceOf(request.url)));
}

/**
 * `fallback` may answer a request no route matched (the dashboard's pages); when it returns undefined
 * the request gets the 404 problem.
 */
export function installErrorHandling(
  app: FastifyInstance,
  fallback?: (request: FastifyRequest, reply: FastifyReply) => FastifyReply | undefined,
): void {
  app.setErrorHandler((error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const coded = codedErrorsOf(error);
    if (coded === undefined) {
      request.log.error({ err: error }, 'unexpected error while handling a request');
      const internal = new TeError('TE_ERR_INTERNAL', 'the server failed to handle this request', {
        hint: 'retry later; if it keeps failing, report it with the time and the request',
      });
      return sendProblem(reply, problemOf([internal], instanceOf(request.url)));
    }
    if (coded[0].code === 'TE_ERR_INTERNAL') request.log.error({ err: error }, 'internal error');
    return sendProblem(reply, problemOf(coded, instanceOf(request.url)));
  });
  app.setNotFoundHandler((request, reply) => {
    const answered = fallback?.(request, reply);
    if (answered !== undefined) return answered;
    const error = new TeError('TE_ERR_NOT_FOUND', `no route ${request.method} ${instanceOf(request.url)}`, {
      hint: 'see /openapi.json or /docs for the routes',
    });
    return sendProblem(reply, problemOf([error], instanceOf(request.url)));
  });
}
