/** Runs a tenet command in this process with captured streams, for the command tests. */
import { PassThrough } from 'node:stream';
import { runCli } from './main.js';

export interface CommandRun {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runInProcess(
  argv: readonly string[],
  cwd: string,
  stdinText?: string,
  env: Readonly<Record<string, string>> = {},
): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const out = new PassThrough();
  const err = new PassThrough();
  out.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  err.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const stdin = new PassThrough();
  stdin.end(stdinText ?? '');
  const status = await runCli(argv, { stdout: out, stderr: err, stdin, cwd, env });
  return { status, stdout, stderr };
}
