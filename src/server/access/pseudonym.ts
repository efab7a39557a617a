/**
 * Pseudonymous ids for anonymised data: HMAC-SHA256 of the id under a key kept in the data directory.
 * The same id always maps to the same pseudonym (a regulator can follow one meter over time) but nobody
 * without the key can recover or test an id.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { readOrCreateSecretFile } from '../auth/key-files.js';

export const PSEUDONYM_KEY_FILE = 'pseudonym-key.hex';

export function loadOrCreatePseudonymKey(dir: string): Uint8Array {
  const text = readOrCreateSecretFile(dir, PSEUDONYM_KEY_FILE, () => `${randomBytes(32).toString('hex')}\n`);
  const key = Buffer.from(text.trim(), 'hex');
  if (key.length < 32) throw new Error(`${PSEUDONYM_KEY_FILE} must hold at least 32 bytes of hex`);
  return key;
}

export function pseudonymOf(key: Uint8Array, id: string): string {
  return createHmac('sha256', key).update(id, 'utf8').digest('hex');
}
