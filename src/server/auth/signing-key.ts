/**
 * The key pair that signs access tokens (ES256). The private JWK lives in the data directory (mode
 * 0600), made on first start and read afterwards, so a restart keeps issued tokens valid and two
 * instances on the same directory (or a copy of the file) accept each other's tokens.
 */
import {
  calculateJwkThumbprint,
  exportJWK,
  generateKeyPair,
  importJWK,
  type CryptoKey,
  type JWK,
} from 'jose';
import { readOrCreateSecretFile } from './key-files.js';

export const SIGNING_KEY_FILE = 'api-signing-key.jwk.json';
export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicKey: CryptoKey;
  /** What `/.well-known/jwks.json` publishes: public members only. */
  readonly publicJwk: JWK;
}

export async function loadOrCreateSigningKey(dir: string): Promise<SigningKey> {
  const fresh = await newPrivateJwkText();
  const text = readOrCreateSecretFile(dir, SIGNING_KEY_FILE, () => fresh);
  return signingKeyFromJwk(JSON.parse(text) as JWK);
}

/** A signing key that lives only in memory (tests, throwaway servers). */
export async function ephemeralSigningKey(): Promise<SigningKey> {
  return signingKeyFromJwk(JSON.parse(await newPrivateJwkText()) as JWK);
}

async function newPrivateJwkText(): Promise<string> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  const kid = await calculateJwkThumbprint(jwk);
  return `${JSON.stringify({ ...jwk, kid, alg: SIGNING_ALGORITHM, use: 'sig' }, null, 2)}\n`;
}

async function signingKeyFromJwk(jwk: JWK): Promise<SigningKey> {
  if (jwk.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.d !== 'string') {
    throw new Error(`${SIGNING_KEY_FILE} does not hold a P-256 private key`);
  }
  const { d: _private, ...publicMembers } = jwk;
  const kid = jwk.kid ?? (await calculateJwkThumbprint(publicMembers));
  const publicJwk: JWK = {
    kty: jwk.kty,
    crv: jwk.crv,
    x: jwk.x,
    y: jwk.y,
    kid,
    alg: SIGNING_ALGORITHM,
    use: 'sig',
  };
  const privateKey = (await importJWK({ ...jwk, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM)) as CryptoKey;
  const publicKey = (await importJWK(publicJwk, SIGNING_ALGORITHM)) as CryptoKey;
  return { kid, privateKey, publicKey, publicJwk };
}
