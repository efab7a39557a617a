/** API clients: the market operator creates them; the secret is returned once and never stored in clear. */
import { Type } from '@sinclair/typebox';
import { createApiClient } from '../../store/api-client-repository.js';
import { requireScope } from '../access/participant-scope.js';
import { recordAudit } from '../audit-trail.js';
import { callerOf } from '../auth/authenticate.js';
import { hashClientSecret, newClientSecret } from '../auth/client-secrets.js';
import { ROLES } from '../auth/roles.js';
import { problemResponses } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';
import { BEARER, IdSchema } from '../schemas.js';

const RoleSchema = Type.Union(
  ROLES.map((r) => Type.Literal(r)),
  { description: 'docs/access.md says what each role may do' },
);

export function registerClientRoutes(app: TypedApp, ctx: RouteContext): void {
  app.post(
    '/api/clients',
    {
      schema: {
        operationId: 'createClient',
        summary: 'Create an API client (market operator); the secret is in this response only',
        tags: ['auth'],
        security: BEARER,
        body: Type.Object(
          { clientId: IdSchema, role: RoleSchema, participantId: Type.Optional(IdSchema) },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Object(
            {
              clientId: Type.String(),
              clientSecret: Type.String({ description: 'shown once; store it safely' }),
              role: RoleSchema,
              participantId: Type.Optional(Type.String()),
              tokenUrl: Type.String(),
            },
            { additionalProperties: false },
          ),
          ...problemResponses(404, 413, 415),
        },
      },
    },
    async (request, reply) => {
      const caller = callerOf(request);
      requireScope(caller, 'clients:write');
      const { clientId, role, participantId } = request.body;
      const secret = newClientSecret();
      const created = await createApiClient(ctx.db, {
        clientId,
        role,
        participantId,
        secretHash: await hashClientSecret(secret),
        createdMs: ctx.clock.nowMs(),
      });
      if (!created.ok) throw created.error;
      await recordAudit(ctx, caller, 'client-created', `client:${clientId}`, {
        role,
        participantId: participantId ?? null,
      });
      return reply.code(201).send({
        clientId,
        clientSecret: secret,
        role,
        ...(participantId === undefined ? {} : { participantId }),
        tokenUrl: '/oauth/token',
      });
    },
  );
}
