/** Test helper: one HTTPS request to a 2030.5 server on loopback, presenting a device certificate. */
import { request } from 'node:https';
import type { Pem } from './test-pki.fixture.js';

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** One request on its own connection (agent: false), so each call's certificate is the one presented. */
export function sepCall(
  port: number,
  ca: string,
  client: Pem | undefined,
  method: string,
  path: string,
  body?: string,
  contentType = 'application/sep+xml',
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        ca,
        ...(client ?? {}),
        agent: false,
        headers: body === undefined ? {} : { 'content-type': contentType },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          }),
        );
        res.on('error', reject);
      },
    );
    // A server that refuses a large body early may reset the connection while it is still being written.
    req.on('error', reject);
    req.end(body);
  });
}

/** The error code a refusal carries, or the status when there is none. */
export const codeOf = (r: Reply): string => String(r.headers['x-tenet-error'] ?? r.status);
