/**
 * Reading a command's input from a file or standard input, with a size limit checked before and while
 * reading (the size of a pipe or device is not known in advance) and coded errors for every failure.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { isTeError, TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

export const STDIN_NAME = '-';

export interface InputSource {
  /** A path relative to `cwd`, or `-` for standard input. */
  readonly name: string;
  readonly cwd: string;
  readonly stdin: NodeJS.ReadableStream;
  readonly maxBytes: number;
  /** What the input is, for messages: "book", "scenario". */
  readonly what: string;
}

export async function readInputText(source: InputSource): Promise<Result<string, TeError>> {
  try {
    if (source.name === STDIN_NAME) return ok(await readLimited(source.stdin, '(stdin)', source));
    const path = resolve(source.cwd, source.name);
    const info = await stat(path);
    if (info.isDirectory()) {
      throw new TeError('TE_ERR_FILE_READ', `is a directory, not a ${source.what} file`, {
        path: source.name,
        hint: `give the path of a ${source.what} file`,
      });
    }
    if (info.size > source.maxBytes) throw tooLarge(source.name, info.size, source);
    return ok(await readLimited(createReadStream(path), source.name, source));
  } catch (caught) {
    return err(fileError(caught, source.name));
  }
}

async function readLimited(
  stream: AsyncIterable<unknown>,
  name: string,
  source: InputSource,
): Promise<string> {
  const chunks: Buffer[] = [];
  let sizeBytes = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Buffer.from(chunk as Uint8Array);
    sizeBytes += buffer.length;
    if (sizeBytes > source.maxBytes) throw tooLarge(name, sizeBytes, source);
    chunks.push(buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}

function fileError(caught: unknown, name: string): TeError {
  if (isTeError(caught)) return caught;
  const code = (caught as { code?: unknown } | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') {
    return new TeError('TE_ERR_FILE_NOT_FOUND', 'no such file', {
      path: name,
      hint: 'check the path, which is relative to the current directory',
    });
  }
  return new TeError('TE_ERR_FILE_READ', caught instanceof Error ? caught.message : String(caught), {
    path: name,
    hint: 'check that the file is readable',
    cause: caught,
  });
}

function tooLarge(name: string, sizeBytes: number, source: InputSource): TeError {
  const mib = (bytes: number): string => `${Math.ceil(bytes / (1024 * 1024))} MiB`;
  return new TeError(
    'TE_ERR_INPUT_TOO_LARGE',
    `the ${source.what} is over ${mib(source.maxBytes)} (${mib(sizeBytes)} read)`,
    {
      path: name,
      hint: `split the ${source.what}, or check that this is the file you meant`,
    },
  );
}
