/**
 * Who is logged in: the platform's own OAuth client credentials exchanged for a bearer token, kept in
 * sessionStorage (gone when the tab closes; never in localStorage, never in a cookie the API would
 * accept without the header). The role and participant come from the token's claims.
 */
import { ApiProblem, problemFromResponse } from './problem';

export const ROLES = [
  'prosumer',
  'facility-manager',
  'der-developer',
  'aggregator',
  'microgrid-operator',
  'utility',
  'dso',
  'regulator',
  'market-operator',
] as const;
export type Role = (typeof ROLES)[number];

export interface Session {
  readonly token: string;
  readonly clientId: string;
  readonly role: Role;
  /** The participant the client acts for; absent for the operator, a regulator, a DSO... */
  readonly participantId: string | undefined;
  readonly expiresMs: number;
}

const STORAGE_KEY = 'tenet.session';

export async function logIn(clientId: string, clientSecret: string): Promise<Session> {
  const response = await fetch('/oauth/token', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (!response.ok) throw await problemFromResponse(response);
  const body = (await response.json()) as { access_token: string };
  const session = sessionFromToken(body.access_token);
  sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  return session;
}

export function logOut(): void {
  sessionStorage.removeItem(STORAGE_KEY);
}

/** The stored session, unless it has expired or is unreadable. */
export function storedSession(nowMs: number = Date.now()): Session | undefined {
  const text = sessionStorage.getItem(STORAGE_KEY);
  if (text === null) return undefined;
  try {
    const session = JSON.parse(text) as Session;
    return session.expiresMs > nowMs + 30_000 ? session : undefined;
  } catch {
    return undefined;
  }
}

function sessionFromToken(token: string): Session {
  const claims = decodeClaims(token);
  if (typeof claims.sub !== 'string' || !isRole(claims.role) || typeof claims.exp !== 'number') {
    throw new ApiProblem({
      status: 0,
      code: 'TE_ERR_UNAUTHORIZED',
      title: 'Unexpected token',
      detail: 'the server issued a token without the claims this dashboard needs',
    });
  }
  return {
    token,
    clientId: claims.sub,
    role: claims.role,
    participantId: typeof claims.participant === 'string' ? claims.participant : undefined,
    expiresMs: claims.exp * 1000,
  };
}

function decodeClaims(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
  return JSON.parse(json) as Record<string, unknown>;
}

function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}
