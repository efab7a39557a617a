/**
 * Client secrets: 256 random bits made by the server, shown once, stored only as a salted SHA-256 hash
 * and checked in constant time. A slow key-derivation function protects human passwords, whose few bits
 * of entropy can be guessed from a stolen table; a 256-bit random secret cannot be guessed either way,
 * and scrypt made every token request cost tens of milliseconds of CPU (registering a 300-home
 * community took 40 s). Hashes written by earlier versions with scrypt still verify.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const LEGACY_SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** 32 random bytes, base64url: 256 bits, safe in URLs, forms and JSON. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  return Promise.resolve(`sha256$${salt.toString('hex')}$${sha256(salt, secret).toString('hex')}`);
}

/** True when `secret` hashes to `stored`; malformed stored hashes never match. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (saltHex === undefined || hashHex === undefined) return false;
  const expected = Buffer.from(hashHex, 'hex');
  if (expected.length !== KEY_BYTES) return false;
  const salt = Buffer.from(saltHex, 'hex');
  if (scheme === 'sha256') return timingSafeEqual(sha256(salt, secret), expected);
  if (scheme === 'scrypt') return timingSafeEqual(await legacyScrypt(secret, salt), expected);
  return false;
}

/**
 * A hash of no secret anyone knows: checking an unknown client id against it costs the same time as
 * checking a real one, so response times do not reveal which client ids exist.
 */
export const DECOY_SECRET_HASH = `sha256$${'00'.repeat(SALT_BYTES)}$${'00'.repeat(KEY_BYTES)}`;

function sha256(salt: Buffer, secret: string): Buffer {
  return createHash('sha256').update(salt).update(secret.normalize('NFC'), 'utf8').digest();
}

function legacyScrypt(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, LEGACY_SCRYPT, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}
