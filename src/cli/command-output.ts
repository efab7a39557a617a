/** What the commands share for reporting: coded errors on stderr, and writing result files. */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TeError } from '../core/errors.js';
import type { CliIo } from './io.js';

/** Print every error as one line and return the exit status of the first. */
export function reportErrors(io: CliIo, errors: readonly TeError[]): number {
  for (const error of errors) io.stderr.write(`${error.toLine()}\n`);
  return errors[0]?.exitCode ?? 2;
}

/** Write `files` (name → content) into `outDir`, creating it; a failure comes back as a coded error. */
export async function writeOutputFiles(
  outDir: string,
  files: Readonly<Record<string, string>>,
): Promise<TeError | undefined> {
  try {
    await mkdir(outDir, { recursive: true });
    for (const [name, content] of Object.entries(files)) await writeFile(join(outDir, name), content);
    return undefined;
  } catch (caught) {
    return new TeError(
      'TE_ERR_OUTPUT_WRITE',
      `cannot write results to '${outDir}': ${(caught as Error).message}`,
      {
        path: outDir,
        hint: 'choose a writable directory with --out',
      },
    );
  }
}
