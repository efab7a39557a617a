/**
 * Secret files in the data directory: written once with mode 0600, atomically (a temp file linked into
 * place), so two instances starting together on the same directory end up reading the same content.
 */
import { randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads `<dir>/<name>`, or creates it with `make()` when missing; returns its content. */
export function readOrCreateSecretFile(dir: string, name: string, make: () => string): string {
  const path = join(dir, name);
  const existing = readIfPresent(path);
  if (existing !== undefined) return existing;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, make(), { mode: 0o600, flag: 'wx' });
  try {
    linkSync(temp, path);
  } catch (error) {
    // Another instance created it first: theirs wins, ours is discarded.
    if (!isCode(error, 'EEXIST')) throw error;
  } finally {
    rmSync(temp, { force: true });
  }
  return readFileSync(path, 'utf8');
}

/** Writes `<dir>/<name>` with mode 0600, replacing it atomically. */
export function writeSecretFile(dir: string, name: string, content: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, name);
  const temp = join(dir, `.${name}.${randomBytes(6).toString('hex')}.tmp`);
  writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
  renameSync(temp, path);
  return path;
}

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if (isCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

function isCode(error: unknown, code: string): boolean {
  return typeof error === 'object' && error !== null && 'code' in error && error.code === code;
}
