/**
 * Reads the caller from the bearer token. The onRequest hook only annotates the request (so the rate
 * limiter, which runs next, can key on the client); the preParsing hook then refuses requests to
 * non-public routes that carry no valid token, before their bodies are read.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import { unauthorized, verifyTokenClaims, type AuthSettings, type Caller } from './tokens.js';
import { VerifiedTokenCache } from './verified-token-cache.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller | undefined;
    authProblem: TeError | undefined;
  }
  interface FastifyInstance {
    /**
     * The caller of a bearer token, verified as requests verify it (rejects with TE_ERR_UNAUTHORIZED):
     * for logins that do not come over HTTP, such as the embedded MQTT broker's.
     */
    verifyAccessToken(token: string): Promise<Caller>;
  }
  interface FastifyContextConfig {
    /** A route anyone may call (token endpoint, JWKS, health, OpenAPI, docs). */
    public?: boolean;
  }
}

/** Routes where the token may also come as `?access_token=` (EventSource cannot set headers). */
const QUERY_TOKEN_PATHS = new Set(['/api/events']);

export function installAuthentication(
  app: FastifyInstance,
  auth: AuthSettings,
  clock: Clock,
  verified: VerifiedTokenCache = new VerifiedTokenCache(),
): void {
  app.decorateRequest('caller', undefined);
  app.decorateRequest('authProblem', undefined);
  const tokenClock = auth.clock ?? clock;
  const verifyAccessToken = async (token: string): Promise<Caller> => {
    const known = verified.lookup(token, tokenClock.nowMs());
    if (known !== undefined) return known;
    const claims = await verifyTokenClaims(auth, clock, token);
    verified.remember(token, claims);
    return claims.caller;
  };
  app.decorate('verifyAccessToken', verifyAccessToken);
  app.addHook('onRequest', async (request) => {
    const token = bearerToken(request);
    if (token === undefined) return;
    try {
      request.caller = await verifyAccessToken(token);
    } catch (error) {
      request.authProblem = error as TeError;
    }
  });
  app.addHook('preParsing', async (request, reply) => {
    if (request.routeOptions.config.public === true || request.is404 || isDocsRoute(request)) return;
    if (request.caller !== undefined) return;
    const problem = request.authProblem ?? unauthorized('this operation needs a bearer token');
    const error = request.authProblem === undefined ? '' : ', error="invalid_token"';
    reply.header('www-authenticate', `Bearer realm="tenet"${error}`);
    throw problem;
  });
}

/** The authenticated caller; the preParsing hook guarantees one on non-public routes. */
export function callerOf(request: FastifyRequest): Caller {
  if (request.caller === undefined) throw unauthorized('this operation needs a bearer token');
  return request.caller;
}

/** The Swagger UI page and its assets (registered by @fastify/swagger-ui, without our route config). */
function isDocsRoute(request: FastifyRequest): boolean {
  const url = request.routeOptions.url ?? '';
  return url === '/docs' || url.startsWith('/docs/');
}

function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (typeof header === 'string') {
    const match = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
    return match?.[1];
  }
  const path = request.url.split('?')[0] ?? '';
  if (!QUERY_TOKEN_PATHS.has(path)) return undefined;
  const query = request.query as Record<string, unknown> | undefined;
  const token = query?.['access_token'];
  return typeof token === 'string' && token.length <= 4096 ? token : undefined;
}
