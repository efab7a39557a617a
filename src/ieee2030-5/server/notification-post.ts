/**
 * One notification POST over HTTPS with mutual TLS: the server presents its own certificate, and the
 * subscriber must present one issued by the device CA. Every way a subscriber can misbehave (refuse,
 * hang, drip bytes, answer forever) ends within the attempt's deadline.
 */
import { request } from 'node:https';
import { checkServerIdentity, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';
import { identityFromCertificate } from '../identity.js';

const SEP_CONTENT_TYPE = 'application/sep+xml';

export interface NotificationPost {
  readonly url: URL;
  /** Connect here instead of resolving the URL's host (the address the subscription was checked against). */
  readonly connectAddress?: string;
  readonly body: string;
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string | readonly string[] };
  /**
   * The LFDI the subscriber's certificate must have (the certificate that subscribed); undefined checks
   * the URL's host name against the certificate instead, as an ordinary https client does.
   */
  readonly expectLfdi?: string;
  readonly timeoutMs: number;
  /** Bytes of response body read before the connection is cut. */
  readonly maxResponseBytes: number;
  readonly signal: AbortSignal;
}

/** The HTTP status of a non-2xx answer, for logs. */
export class NotificationRefused extends Error {
  constructor(readonly status: number) {
    super(`answered ${status}`);
  }
}

function identityCheck(post: NotificationPost, host: string) {
  return (_servername: string, cert: PeerCertificate): Error | undefined => {
    if (post.expectLfdi === undefined) return checkServerIdentity(host, cert);
    const lfdi = identityFromCertificate(cert.raw).lfdi;
    return lfdi === post.expectLfdi.toUpperCase()
      ? undefined
      : new Error(`subscriber's certificate has LFDI ${lfdi}, not the subscribing device's`);
  };
}

/** Resolves when the subscriber answered 2xx; rejects otherwise (refused, TLS, timeout, aborted). */
export function postNotification(post: NotificationPost): Promise<void> {
  const host = post.url.hostname.replace(/^\[|\]$/g, '');
  return new Promise<void>((resolve, reject) => {
    let settled = false;
    const finish = (error?: Error): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      post.signal.removeEventListener('abort', onAbort);
      if (error === undefined) resolve();
      else reject(error);
    };
    const req = request({
      host: post.connectAddress ?? host,
      port: post.url.port === '' ? 443 : Number(post.url.port),
      path: `${post.url.pathname}${post.url.search}`,
      method: 'POST',
      headers: {
        host: post.url.host,
        'content-type': SEP_CONTENT_TYPE,
        'content-length': Buffer.byteLength(post.body),
      },
      cert: post.tls.cert,
      key: post.tls.key,
      ca: typeof post.tls.ca === 'string' ? post.tls.ca : [...post.tls.ca],
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      // SNI carries names only, never addresses (RFC 6066).
      ...(isIP(host) === 0 ? { servername: host } : {}),
      checkServerIdentity: identityCheck(post, host),
      agent: false,
    });
    const deadline = setTimeout(() => {
      req.destroy(new Error(`no answer within ${post.timeoutMs} ms`));
    }, post.timeoutMs);
    const onAbort = (): void => {
      req.destroy(new Error('notifier closed'));
    };
    post.signal.addEventListener('abort', onAbort);
    if (post.signal.aborted) onAbort();
    req.on('error', (error) => finish(error));
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > post.maxResponseBytes) res.destroy();
      });
      // Success does not wait for the subscriber to finish talking; the status is what counts.
      const outcome = status >= 200 && status < 300 ? undefined : new NotificationRefused(status);
      res.on('end', () => finish(outcome));
      res.on('close', () => {
        finish(outcome);
        req.destroy();
      });
      res.on('error', () => finish(outcome));
    });
    req.end(post.body);
  });
}
