/**
 * How a VTN operation is declared: the published document's operationId and summary, the scope it
 * needs (checked before the body is validated, so a caller without it learns nothing about the body),
 * and the problem responses it can give.
 */
import type { TSchema } from '@sinclair/typebox';
import type { FastifyContextConfig, FastifyRequest } from 'fastify';
import { callerOf } from '../../server/auth/authenticate.js';
import { problemResponses } from '../../server/problem.js';
import { BEARER } from '../../server/schemas.js';
import { requireScope, type OpenAdrScope } from '../scopes.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The OpenADR scope a VTN operation needs (the security of the published document). */
    openadrScope?: OpenAdrScope;
  }
}

export const OPENADR_TAG = 'openadr3';

interface OperationSchema<S extends OperationSpec> {
  readonly operationId: string;
  readonly summary: string;
  readonly tags: string[];
  readonly querystring: S['querystring'];
  readonly params: S['params'];
  readonly response: Record<number, unknown>;
}

interface OperationSpec {
  readonly operationId: string;
  readonly summary: string;
  readonly querystring?: TSchema;
  readonly params?: TSchema;
  readonly body?: TSchema;
  readonly ok: readonly [200 | 201, TSchema];
  /** Error statuses beyond those every operation has (400, 401, 403, 429, 500, 503). */
  readonly errors?: readonly number[];
}

export function operation<const S extends OperationSpec>(scope: OpenAdrScope | 'public', spec: S) {
  const [status, okSchema] = spec.ok;
  const config: FastifyContextConfig = scope === 'public' ? { public: true } : { openadrScope: scope };
  const schema = {
    operationId: spec.operationId,
    summary: spec.summary,
    tags: [OPENADR_TAG],
    ...(scope === 'public' ? {} : { security: BEARER }),
    ...(spec.querystring === undefined ? {} : { querystring: spec.querystring }),
    ...(spec.params === undefined ? {} : { params: spec.params }),
    ...(spec.body === undefined ? {} : { body: spec.body }),
    response: { [status]: okSchema, ...problemResponses(...(spec.errors ?? [])) },
  };
  // Absent parts stay absent. The type keeps TypeBox's inference for the query and path only: handlers
  // take bodies as unknown (the VTN keeps only their known properties) and send JSON text.
  return { config, schema: schema as OperationSchema<S> };
}

/** preValidation: refuses a caller without the operation's scope (403) before the body is looked at. */
export async function checkOperationScope(request: FastifyRequest): Promise<void> {
  const needed = request.routeOptions.config.openadrScope;
  if (needed !== undefined) requireScope(callerOf(request), needed);
}
