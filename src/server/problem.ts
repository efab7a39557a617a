/**
 * RFC 9457 problem details: every error the API returns, including Fastify's own, leaves as
 * `application/problem+json` with the catalogue's code, title and status, a detail saying what is wrong,
 * where (`path`) and how to fix it (`hint`). No stack or internal message ever reaches the body.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply } from 'fastify';
import { ERROR_CATALOGUE, TeError, type ErrorCode } from '../core/errors.js';

/** A problem's `type` is this base plus the code, e.g. `https://tenet.energy/errors/TE_ERR_ORDER_LATE`. */
export const PROBLEM_TYPE_BASE = 'https://tenet.energy/errors/';
export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';
/** More problems than this in one response say "and more" instead: a body of 10,000 errors helps nobody. */
export const MAX_PROBLEMS_LISTED = 20;

const ProblemItemSchema = Type.Object(
  {
    code: Type.String(),
    detail: Type.String(),
    path: Type.Optional(Type.String()),
    hint: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export const ProblemSchema = Type.Object(
  {
    type: Type.String({ description: `${PROBLEM_TYPE_BASE}<code>` }),
    title: Type.String({ description: "the catalogue's title for the code" }),
    status: Type.Integer(),
    detail: Type.String({ description: 'what is wrong' }),
    instance: Type.String({ description: 'the request path' }),
    code: Type.String({ description: 'TE_ERR_... (docs/errors.md)' }),
    path: Type.Optional(Type.String({ description: 'where: a JSON path into the body, or query./params.' })),
    hint: Type.Optional(Type.String({ description: 'how to fix it' })),
    errors: Type.Optional(Type.Array(ProblemItemSchema, { description: 'every problem, when several' })),
    error: Type.Optional(Type.String({ description: 'the OAuth 2.0 error code (token endpoint only)' })),
  },
  { additionalProperties: false, description: 'RFC 9457 problem details' },
);

export type Problem = Static<typeof ProblemSchema>;

const PROBLEM_RESPONSE = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: ProblemSchema } },
} as const;

/** The 4xx/5xx responses every route declares, so the OpenAPI document lists them with their media type. */
export function problemResponses(...statuses: number[]): Record<number, typeof PROBLEM_RESPONSE> {
  const all = new Set([400, 401, 403, 429, 500, 503, ...statuses]);
  return Object.fromEntries([...all].sort().map((s) => [s, PROBLEM_RESPONSE]));
}

export function problemOf(errors: readonly [TeError, ...TeError[]], instance: string): Problem {
  const [first] = errors;
  const entry = ERROR_CATALOGUE[first.code];
  const problem: Problem = {
    type: `${PROBLEM_TYPE_BASE}${first.code}`,
    title: entry.title,
    status: entry.httpStatus,
    detail: first.message,
    instance,
    code: first.code,
    ...(first.path === undefined ? {} : { path: first.path }),
    ...(first.hint === undefined ? {} : { hint: first.hint }),
  };
  if (errors.length > 1) {
    problem.errors = errors.slice(0, MAX_PROBLEMS_LISTED).map((e) => ({
      code: e.code,
      detail: e.message,
      ...(e.path === undefined ? {} : { path: e.path }),
      ...(e.hint === undefined ? {} : { hint: e.hint }),
    }));
  }
  return problem;
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(problem);
}

/** The request path without its query string (which may carry `access_token`). */
export function instanceOf(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function forbidden(message: string, hint?: string): TeError {
  return new TeError('TE_ERR_FORBIDDEN', message, {
    hint: hint ?? 'see docs/access.md for what each role may see and do',
  });
}

export function notFound(message: string, path?: string): TeError {
  return new TeError('TE_ERR_NOT_FOUND', message, {
    ...(path === undefined ? {} : { path }),
    hint: 'check the id; list the collection to see what exists',
  });
}

export function coded(code: ErrorCode, message: string, path?: string, hint?: string): TeError {
  return new TeError(code, message, {
    ...(path === undefined ? {} : { path }),
    ...(hint === undefined ? {} : { hint }),
  });
}
