/**
 * Token discovery (`GET /auth/server`, which the spec requires) and the client-credentials token
 * endpoint (`POST /auth/token`), on the platform's own clients, secrets and signing key: an OpenADR
 * token is a tenet token. The credentials come in the form body (as the spec's request schema has them)
 * or by HTTP Basic, never both. The token's scope is what the client's role grants
 * (docs/protocols/openadr3.md); a requested scope is not narrowed into the token (RFC 6749 3.3 lets the
 * server ignore it), and the answer says what was granted. Unknown parameters are ignored (RFC 6749 3.2).
 */
import { Type, type Static } from '@sinclair/typebox';
import { isTeError, TeError } from '../../core/errors.js';
import { recordAudit } from '../../server/audit-trail.js';
import { DECOY_SECRET_HASH, verifyClientSecret } from '../../server/auth/client-secrets.js';
import { isRole, type Role } from '../../server/auth/roles.js';
import { issueToken } from '../../server/auth/tokens.js';
import type { Problem } from '../../server/problem.js';
import type { RouteContext, TypedApp } from '../../server/route-context.js';
import { getApiClient } from '../../store/api-client-repository.js';
import { OPENADR3_BASE_PATH } from '../base-path.js';
import { scopesOf } from '../scopes.js';
import { sendOpenAdrError } from '../vtn-problems.js';
import { operation } from './operation.js';

const TokenRequestSchema = Type.Object({
  grant_type: Type.String({ minLength: 1, maxLength: 64, description: 'client_credentials' }),
  client_id: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  client_secret: Type.Optional(Type.String({ minLength: 1, maxLength: 4096 })),
  scope: Type.Optional(Type.String({ maxLength: 4096 })),
});

const TokenResponseSchema = Type.Object({
  access_token: Type.String(),
  token_type: Type.Literal('Bearer'),
  expires_in: Type.Integer(),
  scope: Type.String({ description: 'the OpenADR scopes the client role grants, space-separated' }),
});

const AuthServerSchema = Type.Object({ tokenURL: Type.String({ format: 'uri' }) });

const MAX_FORM_BYTES = 16 * 1024;

const OAUTH_ERRORS: Readonly<Record<string, string>> = {
  TE_ERR_INVALID_CLIENT: 'invalid_client',
  TE_ERR_UNSUPPORTED_GRANT: 'unsupported_grant_type',
};

export function registerAuthRoutes(app: TypedApp, ctx: RouteContext): void {
  app.get(
    '/auth/server',
    operation('public', {
      operationId: 'getAuthServerInfo',
      summary: 'Where to get a token (OpenADR token discovery)',
      ok: [200, AuthServerSchema],
    }),
    async (request) => ({
      tokenURL: `${request.protocol}://${request.host}${OPENADR3_BASE_PATH}/auth/token`,
    }),
  );

  app.register(async (scope: TypedApp) => {
    scope.addContentTypeParser(
      'application/x-www-form-urlencoded',
      { parseAs: 'string', bodyLimit: MAX_FORM_BYTES },
      (_request, body, done) => {
        try {
          done(null, formFields(body as string));
        } catch (error) {
          done(error as Error, undefined);
        }
      },
    );
    scope.setErrorHandler((error, request, reply) => sendOpenAdrError(error, request, reply, withOAuthError));
    scope.post(
      '/auth/token',
      {
        ...operation('public', {
          operationId: 'fetchToken',
          summary: 'Issue an access token (OAuth 2.0 client credentials)',
          body: TokenRequestSchema,
          ok: [200, TokenResponseSchema],
          errors: [415],
        }),
      },
      async (request, reply) => {
        const body = request.body as Static<typeof TokenRequestSchema>;
        if (body.grant_type !== 'client_credentials') {
          throw new TeError('TE_ERR_UNSUPPORTED_GRANT', `grant type '${body.grant_type}' is not supported`, {
            path: 'grant_type',
            hint: 'use grant_type=client_credentials',
          });
        }
        const client = await authenticatedClient(ctx, request.headers.authorization, body).catch(
          (error: unknown) => {
            // RFC 6749 5.2: a client that tried HTTP Basic is told the scheme.
            const refused = isTeError(error) && error.code === 'TE_ERR_INVALID_CLIENT';
            if (refused && request.headers.authorization !== undefined) {
              reply.header('www-authenticate', 'Basic realm="tenet"');
            }
            throw error;
          },
        );
        const caller = client;
        const token = await issueToken(ctx.auth, ctx.clock, caller);
        const scope = scopesOf(client.role).join(' ');
        await recordAudit(ctx, caller, 'token-issued', `client:${client.clientId}`, {
          expiresIn: token.expires_in,
          via: 'openadr3',
          scope,
        });
        reply.header('cache-control', 'no-store').header('pragma', 'no-cache');
        return { ...token, scope };
      },
    );
  });
}

async function authenticatedClient(
  ctx: RouteContext,
  authorization: string | undefined,
  body: Static<typeof TokenRequestSchema>,
): Promise<{ clientId: string; role: Role; participantId: string | undefined }> {
  const { clientId, secret } = credentialsOf(authorization, body);
  const client = await getApiClient(ctx.db, clientId);
  const matches = await verifyClientSecret(secret, client?.secretHash ?? DECOY_SECRET_HASH);
  if (client === undefined || client.disabled || !matches || !isRole(client.role)) {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'client authentication failed', {
      hint: 'check the client id and secret; a disabled client cannot get tokens',
    });
  }
  return { clientId: client.clientId, role: client.role, participantId: client.participantId };
}

/** Form fields; a repeated one is refused (RFC 6749 3.2: parameters must not be included more than once). */
function formFields(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(text)) {
    if (Object.hasOwn(fields, key)) {
      throw new TeError('TE_ERR_VALIDATION', `parameter '${key}' is repeated`, { path: key });
    }
    // Empty parameters count as absent (RFC 6749 3.2).
    if (value !== '') Object.defineProperty(fields, key, { value, enumerable: true, writable: true });
  }
  return fields;
}

function credentialsOf(
  authorization: string | undefined,
  body: Static<typeof TokenRequestSchema>,
): { clientId: string; secret: string } {
  const basic = authorization === undefined ? undefined : basicCredentials(authorization);
  if (basic !== undefined && (body.client_id !== undefined || body.client_secret !== undefined)) {
    throw new TeError('TE_ERR_VALIDATION', 'client credentials came both by HTTP Basic and in the body', {
      hint: 'use one method (RFC 6749 section 2.3.1)',
    });
  }
  const clientId = basic?.clientId ?? body.client_id;
  const secret = basic?.secret ?? body.client_secret;
  if (clientId === undefined || secret === undefined) {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'no client credentials were sent', {
      hint: 'send client_id and client_secret in the form body, or by HTTP Basic',
    });
  }
  return { clientId, secret };
}

/** RFC 6749 2.3.1: base64 of the form-encoded id and secret, joined by a colon. */
function basicCredentials(header: string): { clientId: string; secret: string } {
  const match = /^Basic ([A-Za-z0-9+/]+=*)$/i.exec(header.trim());
  const decoded = match?.[1] === undefined ? '' : Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  try {
    if (colon <= 0) throw new Error('no colon');
    const clientId = decodeURIComponent(decoded.slice(0, colon).replaceAll('+', ' '));
    const secret = decodeURIComponent(decoded.slice(colon + 1).replaceAll('+', ' '));
    if (secret === '') throw new Error('empty secret');
    return { clientId, secret };
  } catch {
    throw new TeError('TE_ERR_INVALID_CLIENT', 'the Authorization header is not HTTP Basic credentials', {
      hint: 'send Authorization: Basic base64(urlencode(client_id) ":" urlencode(client_secret))',
    });
  }
}

/** The token endpoint's problems also carry OAuth's `error` member (RFC 6749 5.2). */
function withOAuthError(problem: Problem): Problem {
  const error = OAUTH_ERRORS[problem.code] ?? (problem.status === 400 ? 'invalid_request' : undefined);
  if (problem.code === 'TE_ERR_INTERNAL') return { ...problem, error: 'server_error' };
  return error === undefined ? problem : { ...problem, error };
}
