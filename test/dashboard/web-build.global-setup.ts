/**
 * The dashboard's end-to-end tests load the built app from dist/web, as a user of `npm start` does.
 * Build it once per test run when the sources are newer than the build (a fresh clone's `npm install`
 * has built it already; after editing web/ this saves remembering `npm run build`).
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const WEB = join(ROOT, 'web');
const BUILT_INDEX = join(ROOT, 'dist', 'web', 'index.html');

export async function setup(): Promise<void> {
  if (!existsSync(WEB)) return;
  if (existsSync(BUILT_INDEX) && newestMtimeMs(WEB) <= statSync(BUILT_INDEX).mtimeMs) return;
  const { build } = await import('vite');
  await build({ configFile: join(WEB, 'vite.config.ts'), logLevel: 'warn' });
}

function newestMtimeMs(dir: string): number {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtimeMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}
