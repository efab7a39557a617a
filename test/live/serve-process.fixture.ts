/**
 * `tenet serve` as a real child process for the reliability tests: start it, learn its URL from its
 * output, kill it with SIGKILL or stop it with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRY = fileURLToPath(new URL('./tenet-from-source.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  output(): string;
  /** SIGKILL: no cleanup of any kind runs. */
  kill9(): Promise<void>;
  /** SIGTERM and wait: resolves with the exit code. */
  terminate(): Promise<number | null>;
}

export async function startServe(options: {
  dataDir: string;
  configFile?: string;
  clockSpeed?: number;
  env?: Record<string, string>;
  timeoutMs?: number;
}): Promise<ServeProcess> {
  const args = ['--import', 'tsx', ENTRY, 'serve', '--data-dir', options.dataDir, '--port', '0'];
  if (options.configFile !== undefined) args.push('--config', options.configFile);
  if (options.clockSpeed !== undefined) args.push('--clock-speed', String(options.clockSpeed));
  const child = spawn(process.execPath, args, {
    cwd: REPO,
    env: { ...process.env, DATABASE_URL: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`tenet serve did not start in time; output:\n${output}`)),
      options.timeoutMs ?? 30_000,
    );
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (https?:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`tenet serve exited with ${code} before listening; output:\n${output}`));
    });
  });
  return {
    url,
    child,
    output: () => output,
    async kill9() {
      child.kill('SIGKILL');
      await exited;
    },
    async terminate() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

export function operatorCredentials(dataDir: string): { clientId: string; clientSecret: string } {
  const file = JSON.parse(readFileSync(join(dataDir, 'operator-credentials.json'), 'utf8')) as {
    client_id: string;
    client_secret: string;
  };
  return { clientId: file.client_id, clientSecret: file.client_secret };
}

export async function fetchToken(url: string, clientId: string, clientSecret: string): Promise<string> {
  const response = await fetch(`${url}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: clientId,
      client_secret: clientSecret,
    }),
  });
  if (!response.ok) throw new Error(`token request failed: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { access_token: string }).access_token;
}

export async function apiCall<T>(
  url: string,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return { status: response.status, body: (text === '' ? undefined : JSON.parse(text)) as T };
}
