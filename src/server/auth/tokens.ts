/**
 * Access tokens: JWTs signed with the server's ES256 key, carrying who the caller is (sub = client
 * id), its role and the participant it acts for. Verification accepts only our issuer, our algorithm
 * and unexpired tokens; anything else is TE_ERR_UNAUTHORIZED.
 */
import { randomUUID } from 'node:crypto';
import { jwtVerify, SignJWT } from 'jose';
import { TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import { isRole, type Role } from './roles.js';
import { SIGNING_ALGORITHM, type SigningKey } from './signing-key.js';

export interface AuthSettings {
  readonly signingKey: SigningKey;
  /** The `iss` claim, e.g. the server's base URL. */
  readonly issuer: string;
  readonly tokenTtlS: number;
  /**
   * The clock token times are read from (iat, exp, and expiry checks); the server's clock when absent.
   * Pass a WallClock when the market runs on an accelerated clock, or tokens expire in seconds.
   */
  readonly clock?: Clock;
}

/** Who is calling, as the token says. */
export interface Caller {
  readonly clientId: string;
  readonly role: Role;
  readonly participantId: string | undefined;
}

export interface IssuedToken {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

export async function issueToken(auth: AuthSettings, clock: Clock, caller: Caller): Promise<IssuedToken> {
  const nowS = Math.floor((auth.clock ?? clock).nowMs() / 1000);
  const token = await new SignJWT({
    role: caller.role,
    ...(caller.participantId === undefined ? {} : { participant: caller.participantId }),
  })
    .setProtectedHeader({ alg: SIGNING_ALGORITHM, kid: auth.signingKey.kid, typ: 'JWT' })
    .setIssuer(auth.issuer)
    .setSubject(caller.clientId)
    .setIssuedAt(nowS)
    .setExpirationTime(nowS + auth.tokenTtlS)
    .setJti(randomUUID())
    .sign(auth.signingKey.privateKey);
  return { access_token: token, token_type: 'Bearer', expires_in: auth.tokenTtlS, scope: caller.role };
}

/** A token that verified, with the claims that decide until when it stays valid. */
export interface VerifiedToken {
  readonly caller: Caller;
  /** `exp`, epoch seconds: valid while the current epoch second is below it. */
  readonly expiresAtS: number;
  /** `nbf`, epoch seconds, when the token has one (ours do not). */
  readonly notBeforeS: number | undefined;
}

export async function verifyToken(auth: AuthSettings, clock: Clock, token: string): Promise<Caller> {
  return (await verifyTokenClaims(auth, clock, token)).caller;
}

export async function verifyTokenClaims(
  auth: AuthSettings,
  clock: Clock,
  token: string,
): Promise<VerifiedToken> {
  try {
    const { payload } = await jwtVerify(token, auth.signingKey.publicKey, {
      issuer: auth.issuer,
      algorithms: [SIGNING_ALGORITHM],
      currentDate: new Date((auth.clock ?? clock).nowMs()),
      requiredClaims: ['sub', 'exp', 'iat', 'jti'],
    });
    const participant = payload['participant'];
    if (
      typeof payload.sub !== 'string' ||
      !isRole(payload['role']) ||
      (participant !== undefined && typeof participant !== 'string') ||
      typeof payload.exp !== 'number'
    ) {
      throw new Error('claims of the wrong shape');
    }
    return {
      caller: { clientId: payload.sub, role: payload['role'], participantId: participant },
      expiresAtS: payload.exp,
      notBeforeS: payload.nbf,
    };
  } catch {
    throw unauthorized('the bearer token is expired, malformed or not signed by this server');
  }
}

export function unauthorized(message: string): TeError {
  return new TeError('TE_ERR_UNAUTHORIZED', message, {
    hint: 'get a token from POST /oauth/token (client credentials) and send it as Authorization: Bearer <token>',
  });
}
