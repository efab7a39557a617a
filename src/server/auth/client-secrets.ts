/**
 * Client secrets: random, shown once, stored only as a salted scrypt hash and checked in constant
 * time. scrypt (N=2^14, r=8, p=1) costs a few tens of milliseconds and 16 MiB, which makes guessing
 * from a stolen table expensive while keeping the token endpoint responsive.
 */
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

const SCRYPT: ScryptOptions = { N: 16_384, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };
const KEY_BYTES = 32;
const SALT_BYTES = 16;

/** 32 random bytes, base64url: 256 bits, safe in URLs, forms and JSON. */
export function newClientSecret(): string {
  return randomBytes(32).toString('base64url');
}

export async function hashClientSecret(secret: string): Promise<string> {
  const salt = randomBytes(SALT_BYTES);
  const hash = await derive(secret, salt);
  return `scrypt$${salt.toString('hex')}$${hash.toString('hex')}`;
}

/** True when `secret` hashes to `stored`; malformed stored hashes never match. */
export async function verifyClientSecret(secret: string, stored: string): Promise<boolean> {
  const [scheme, saltHex, hashHex] = stored.split('$');
  if (scheme !== 'scrypt' || saltHex === undefined || hashHex === undefined) return false;
  const expected = Buffer.from(hashHex, 'hex');
  if (expected.length !== KEY_BYTES) return false;
  const actual = await derive(secret, Buffer.from(saltHex, 'hex'));
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of no secret anyone knows: checking an unknown client id against it costs the same time as
 * checking a real one, so response times do not reveal which client ids exist.
 */
export const DECOY_SECRET_HASH = `scrypt$${'00'.repeat(SALT_BYTES)}$${'00'.repeat(KEY_BYTES)}`;

function derive(secret: string, salt: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(secret.normalize('NFC'), salt, KEY_BYTES, SCRYPT, (error, key) =>
      error === null ? resolve(key) : reject(error),
    );
  });
}
