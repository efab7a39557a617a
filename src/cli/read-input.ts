/** Reading a command's input file or stdin, with coded errors and a size limit. */
import { readFile, stat } from 'node:fs/promises';
import { TeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

export async function readTextFile(path: string, maxBytes: number): Promise<Result<string, TeError>> {
  try {
    const info = await stat(path);
    if (!info.isFile()) {
      return err(
        new TeError('TE_ERR_FILE_READ', `'${path}' is not a file`, { path, hint: 'give the path of a file' }),
      );
    }
    if (info.size > maxBytes) {
      return err(
        new TeError('TE_ERR_INPUT_TOO_LARGE', `'${path}' is ${info.size} bytes; the limit is ${maxBytes}`, {
          path,
        }),
      );
    }
    return ok(await readFile(path, 'utf8'));
  } catch (caught) {
    const code = (caught as { code?: string }).code;
    if (code === 'ENOENT') {
      return err(
        new TeError('TE_ERR_FILE_NOT_FOUND', `no file at '${path}'`, { path, hint: 'check the path' }),
      );
    }
    return err(new TeError('TE_ERR_FILE_READ', `cannot read '${path}': ${String(code ?? caught)}`, { path }));
  }
}

export async function readStdin(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<Result<string, TeError>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer);
    size += buffer.length;
    if (size > maxBytes) {
      return err(
        new TeError('TE_ERR_INPUT_TOO_LARGE', `standard input exceeds ${maxBytes} bytes`, { path: '-' }),
      );
    }
    chunks.push(buffer);
  }
  return ok(Buffer.concat(chunks).toString('utf8'));
}
