/**
 * One webhook POST over node:http(s), so the connection can go through the callback policy's DNS guard
 * (fetch cannot take a lookup function). Redirects are not followed: a redirect could send the VTN to an
 * address the subscriber picked after the checks. The response body is read and dropped.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

export interface WebhookPost {
  readonly url: string;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly lookup: LookupFunction | undefined;
}

/** The response status; rejects on a network error, a refused address or the timeout. */
export function postWebhook(post: WebhookPost): Promise<number> {
  const url = new URL(post.url);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const request = send(
      url,
      {
        method: 'POST',
        headers: { ...post.headers, 'content-length': Buffer.byteLength(post.body) },
        signal: AbortSignal.timeout(post.timeoutMs),
        ...(post.lookup === undefined ? {} : { lookup: post.lookup }),
      },
      (response: IncomingMessage) => {
        response.on('error', reject);
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.resume();
      },
    );
    request.on('error', reject);
    request.end(post.body);
  });
}
