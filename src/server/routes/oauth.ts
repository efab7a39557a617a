/**
 * OAuth 2.0 client credentials (RFC 6749 section 4.4): the token endpoint and the public key set.
 * Credentials come by HTTP Basic or in the body, never both; the body is form-encoded (as the RFC says)
 * or JSON. Errors carry the OAuth `error` member beside the problem fields.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { TeError } from '../../core/errors.js';
import { getApiClient } from '../../store/api-client-repository.js';
import { recordAudit } from '../audit-trail.js';
import { DECOY_SECRET_HASH, verifyClientSecret } from '../auth/client-secrets.js';
import { isRole } from '../auth/roles.js';
import { issueToken } from '../auth/tokens.js';
import { codedErrorsOf } from '../error-handler.js';
import { instanceOf, problemOf, problemResponses, sendProblem } from '../problem.js';
import type { RouteContext, TypedApp } from '../route-context.js';

const Secret = Type.String({ minLength: 1, maxLength: 512 });

const TokenRequestSchema = Type.Object(
  {
    grant_type: Type.String({ minLength: 1, maxLength: 64, description: 'client_credentials' }),
    client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    client_secret: Type.Optional(Secret),
    scope: Type.Optional(Type.String({ maxLength: 256, description: 'ignored: the role decides' })),
  },
  { additionalProperties: false },
);

const TokenResponseSchema = Type.Object(
  {
    access_token: Type.String(),
    token_type: Type.Literal('Bearer'),
    expires_in: Type.Integer({ description: 'seconds' }),
    scope: Type.String({ description: "the client's role" }),
  },
  { additionalProperties: false },
);

const JwksSchema = Type.Object(
  { keys: Type.Array(Type.Object({}, { additionalProperties: true })) },
  { additionalProperties: false },
);

const MAX_FORM_BYTES = 8 * 1024;

export function registerOauthRoutes(app: TypedApp, ctx: RouteContext): void {
  app.register(async (scope: TypedApp) => {
    // Form bodies are accepted here only; elsewhere they are 415.
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
      (_request, body, done) => {
        const form = new URLSearchParams(body as string);
        const fields: Record<string, string> = Object.create(null) as Record<string, string>;
        for (const [key, value] of form) {
          if (key in fields) {
            done(
              new TeError('TE_ERR_VALIDATION', `parameter '${key}' is repeated`, { path: key }),
              undefined,
            );
            return;
          }
          fields[key] = value;
        }
        done(null, { ...fields });
      },
    );
    scope.setErrorHandler((error, request, reply) => oauthProblem(error, request, reply));

    scope.post(
      '/oauth/token',
      {
        config: { public: true },
        schema: {
          operationId: 'issueToken',
          summary: 'Issue an access token (OAuth 2.0 client credentials)',
          tags: ['auth'],
          consumes: ['application/x-www-form-urlencoded', 'application/json'],
          body: TokenRequestSchema,
          response: { 200: TokenResponseSchema, ...problemResponses(415) },
        },
      },
      async (request, reply) => {
        if (request.body.grant_type !== 'client_credentials') {
          throw new TeError(
            'TE_ERR_UNSUPPORTED_GRANT',
            `grant type '${request.body.grant_type}' is not supported`,
            {
              path: 'grant_type',
              hint: 'use grant_type=client_credentials',
            },
          );
        }
        const { clientId, secret } = credentialsOf(request.headers.authorization, request.body);
        const client = await getApiClient(ctx.db, clientId);
        const matches = await verifyClientSecret(secret, client?.secretHash ?? DECOY_SECRET_HASH);
        if (client === undefined || client.disabled || !matches || !isRole(client.role)) {
          if (request.headers.authorization !== undefined)
            reply.header('www-authenticate', 'Basic realm="tenet"');
          throw new TeError('TE_ERR_INVALID_CLIENT', 'client authentication failed', {
            hint: 'check the client id and secret; a disabled client cannot get tokens',
          });
        }
        const caller = { clientId: client.clientId, role: client.role, participantId: client.participantId };
        const token = await issueToken(ctx.auth, ctx.clock, caller);
        await recordAudit(ctx, caller, 'token-issued', `client:${client.clientId}`, {
          expiresIn: token.expires_in,
        });
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return token;
      },
    );
  });

  app.get(
    '/.well-known/jwks.json',
    {
      config: { public: true },
      schema: {
        operationId: 'getJwks',
        summary: 'The public key that verifies access tokens (JWK Set)',
        tags: ['auth'],
        response: { 200: JwksSchema, ...problemResponses() },
      },
    },
    async () => ({ keys: [ctx.auth.signingKey.publicJwk] }),
  );
}

type TokenRequest = Static<typeof TokenRequestSchema>;

function credentialsOf(
  authorization: string | undefined,
  body: TokenRequest,
): { clientId: string; secret: string } {
  const basic = authorization === undefined ? undefined : parseBasic(authorization);
  const inBody = body.client_id !== undefined || body.client_secret !== undefined;
  if (basic !== undefined && inBody) {
    throw new TeError(
      'TE_ERR_VALIDATION',
      'client credentials were sent both by HTTP Basic and in the body',
      {
        hint: 'use one method (RFC 6749 section 2.3.1)',
      },
    );
  }
  const clientId = basic?.clientId ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  if (clientId === undefined || secret === undefined) {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'no client credentials were sent', {
      hint: 'send client_id and client_secret by HTTP Basic or in the body',
    });
  }
  return { clientId, secret };
}

function parseBasic(header: string): { clientId: string; secret: string } | undefined {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  if (match?.[1] === undefined) {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'the Authorization header is not HTTP Basic', {
      hint: 'send Authorization: Basic base64(client_id:client_secret)',
    });
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    // RFC 6749 2.3.1: both parts are form-encoded before they are joined.
    const clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    if (colon < 0 || clientId === '' || secret === '') throw new Error('empty');
    return { clientId, secret };
  } catch {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'the HTTP Basic credentials are malformed', {
      hint: 'send base64(urlencode(client_id) ":" urlencode(client_secret))',
    });
  }
}

const OAUTH_ERRORS: Readonly<Record<string, string>> = {
  TE_ERR_INVALID_CLIENT: 'invalid_client',
  TE_ERR_UNSUPPORTED_GRANT: 'unsupported_grant_type',
};

/** The token endpoint's errors are problems that also speak OAuth (`error`). */
function oauthProblem(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const coded = codedErrorsOf(error);
  if (coded === undefined) {
    request.log.error({ err: error }, 'unexpected error at the token endpoint');
    const internal = new TeError('TE_ERR_INTERNAL', 'the server failed to issue a token', {
      hint: 'retry later',
    });
    return sendProblem(reply, { ...problemOf([internal], instanceOf(request.url)), error: 'server_error' });
  }
  const problem = problemOf(coded, instanceOf(request.url));
  const oauth = OAUTH_ERRORS[coded[0].code] ?? (problem.status === 400 ? 'invalid_request' : undefined);
  return sendProblem(reply, oauth === undefined ? problem : { ...problem, error: oauth });
}
