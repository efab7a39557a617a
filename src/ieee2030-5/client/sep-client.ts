/**
 * An IEEE 2030.5 client's transport: HTTPS with the device's certificate and key (mutual TLS) over one
 * keep-alive agent, a time limit per attempt, one abort signal for everything, and bounded retries with
 * jittered backoff on network errors and 5xx/429 (the shared retry policy of src/http-client/). Every
 * document is read through our codecs with the XML limits applied; every failure is a TeError naming the
 * href and, when the server answered, its status.
 */
import { Agent, request } from 'node:https';
import type { IncomingMessage } from 'node:http';
import { randomInt } from 'node:crypto';
import { isTeError, TeError } from '../../core/errors.js';
import { SeededRandom } from '../../core/random.js';
import { pause } from '../../http-client/pause.js';
import {
  backoffDelayMs,
  isRetryableStatus,
  parseRetryAfterMs,
  type RetryPolicy,
} from '../../http-client/retry-policy.js';
import { identityFromCertificate, type DeviceIdentity } from '../identity.js';
import { DEFAULT_MAX_XML_BYTES, type XmlLimits } from '../xml.js';

export const SEP_MEDIA_TYPE = 'application/sep+xml';

/** Fewer attempts than the platform API's: a device polls again at its next interval anyway. */
export const DEFAULT_SEP_RETRY_POLICY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 4000 };

export interface SepClientOptions {
  /** The DeviceCapability URL, e.g. `https://127.0.0.1:8443/sep2/dcap`: the one address the client is given. */
  readonly dcapUrl: string;
  /** PEM: the device's certificate and key, and the CA (or CAs) that issued the server's certificate. */
  readonly tls: { readonly cert: string; readonly key: string; readonly ca: string | readonly string[] };
  readonly retry?: RetryPolicy;
  /** One attempt's time limit, ms (default 10 s). */
  readonly requestTimeoutMs?: number;
  /** Ends every request of this client, the one under way included. */
  readonly signal?: AbortSignal;
  /** Backoff jitter (seeded for reproducible runs); a random seed by default. */
  readonly random?: SeededRandom;
  /** Limits for every document read (default: the XML reader's 64 KiB and depth 32). */
  readonly limits?: XmlLimits;
  /** Sockets kept open to the server (default 2: a device rarely has more than one request in flight). */
  readonly maxSockets?: number;
  readonly onRetry?: (href: string, attempt: number, reason: string) => void;
}

export interface SepPostResult {
  readonly status: number;
  /** The Location header, resolved against the server, when the server created a resource. */
  readonly location?: string;
}

interface Answer {
  readonly status: number;
  readonly body: Buffer;
  readonly headers: IncomingMessage['headers'];
}

type Decoder<T> = (body: Uint8Array, limits?: XmlLimits) => T;

export class SepClient {
  readonly dcapUrl: string;
  /** The device's own LFDI and SFDI, from its certificate. */
  readonly identity: DeviceIdentity;
  readonly #origin: string;
  readonly #agent: Agent;
  readonly #policy: RetryPolicy;
  readonly #timeoutMs: number;
  readonly #random: SeededRandom;
  readonly #limits: XmlLimits;
  #requests = 0;
  #retries = 0;

  constructor(private readonly options: SepClientOptions) {
    const dcap = new URL(options.dcapUrl);
    if (dcap.protocol !== 'https:') {
      throw new TeError('TE_ERR_CONFIG', `dcapUrl ${options.dcapUrl} must be an https URL`, {
        path: 'dcapUrl',
        hint: 'IEEE 2030.5 runs over TLS only',
      });
    }
    this.dcapUrl = dcap.href;
    this.#origin = dcap.origin;
    this.identity = identityFromCertificate(options.tls.cert);
    this.#agent = new Agent({
      keepAlive: true,
      maxSockets: options.maxSockets ?? 2,
      cert: options.tls.cert,
      key: options.tls.key,
      ca: typeof options.tls.ca === 'string' ? options.tls.ca : [...options.tls.ca],
      minVersion: 'TLSv1.2',
    });
    this.#policy = options.retry ?? DEFAULT_SEP_RETRY_POLICY;
    this.#timeoutMs = options.requestTimeoutMs ?? 10_000;
    this.#random = options.random ?? new SeededRandom(randomInt(2 ** 31));
    this.#limits = options.limits ?? {};
  }

  get requests(): number {
    return this.#requests;
  }

  get retries(): number {
    return this.#retries;
  }

  /**
   * An href from a document as an absolute URL on the server (hrefs are usually paths). An href that leads
   * to another scheme, host or port is refused: a document must not send the device, with its
   * certificate, anywhere but the server it was installed for.
   */
  resolve(href: string): string {
    let url: URL;
    try {
      url = new URL(href, this.dcapUrl);
    } catch (cause) {
      throw new TeError(
        'TE_ERR_SEP_CLIENT_RESOURCE',
        `href ${JSON.stringify(href.slice(0, 200))} is not a URL`,
        {
          path: href.slice(0, 200),
          cause,
        },
      );
    }
    if (url.origin !== this.#origin) {
      throw new TeError(
        'TE_ERR_SEP_CLIENT_RESOURCE',
        `href ${url.href.slice(0, 200)} leads off ${this.#origin}`,
        {
          path: href.slice(0, 200),
          hint: 'a 2030.5 server links only its own resources',
        },
      );
    }
    return url.href;
  }

  /** GETs a document and decodes it; a decoding error keeps its code and gains the href in its message. */
  async get<T>(href: string, decode: Decoder<T>): Promise<T> {
    const answer = await this.#exchange('GET', href);
    try {
      return decode(answer.body, this.#limits);
    } catch (error) {
      if (!isTeError(error)) throw error;
      throw new TeError(error.code, `GET ${href}: ${error.message}`, {
        ...(error.path === undefined ? {} : { path: error.path }),
        ...(error.hint === undefined ? {} : { hint: error.hint }),
        cause: error,
      });
    }
  }

  async post(href: string, xml: string): Promise<SepPostResult> {
    const answer = await this.#exchange('POST', href, xml);
    const location = answer.headers.location;
    return {
      status: answer.status,
      ...(typeof location === 'string' && location !== '' ? { location: this.resolve(location) } : {}),
    };
  }

  async put(href: string, xml: string): Promise<void> {
    await this.#exchange('PUT', href, xml);
  }

  /** Closes the kept-alive sockets. */
  close(): void {
    this.#agent.destroy();
  }

  async #exchange(method: 'GET' | 'POST' | 'PUT', href: string, body?: string): Promise<Answer> {
    const url = this.resolve(href);
    for (let attempt = 0; ; attempt++) {
      this.#throwIfStopped(method, href);
      let reason: string;
      let retryAfterMs: number | undefined;
      try {
        const answer = await this.#attempt(method, url, body);
        if (answer.status >= 200 && answer.status < 300) return answer;
        const error = statusError(method, href, answer);
        if (!(answer.status >= 500 || isRetryableStatus(answer.status))) throw error;
        if (attempt + 1 >= this.#policy.maxAttempts) throw error;
        reason = error.message;
        retryAfterMs = parseRetryAfterMs(headerText(answer.headers['retry-after']), Date.now());
      } catch (caught) {
        if (isTeError(caught)) throw caught;
        this.#throwIfStopped(method, href);
        reason = caught instanceof Error ? caught.message : String(caught);
        if (attempt + 1 >= this.#policy.maxAttempts) {
          throw new TeError(
            'TE_ERR_SEP_CLIENT_UNREACHABLE',
            `${method} ${href}: no answer after ${attempt + 1} attempts (${reason})`,
            { path: href, hint: 'check that the 2030.5 server runs and trusts this device', cause: caught },
          );
        }
      }
      this.#retries++;
      this.options.onRetry?.(href, attempt + 1, reason);
      await pause(backoffDelayMs(this.#policy, attempt, this.#random, retryAfterMs), this.options.signal);
    }
  }

  /** One request; rejects with a plain Error for network failures and timeouts (those are retried). */
  #attempt(method: string, url: string, body: string | undefined): Promise<Answer> {
    const maxBytes = this.#limits.maxBytes ?? DEFAULT_MAX_XML_BYTES;
    this.#requests++;
    return new Promise<Answer>((resolve, reject) => {
      const headers: Record<string, string> = { accept: SEP_MEDIA_TYPE };
      if (body !== undefined) {
        headers['content-type'] = SEP_MEDIA_TYPE;
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const req = request(url, { method, agent: this.#agent, headers });
      let settled = false;
      const finish = (error: Error | undefined, answer?: Answer): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.options.signal?.removeEventListener('abort', onAbort);
        if (error === undefined && answer !== undefined) resolve(answer);
        else reject(error ?? new Error('no answer'));
      };
      const timer = setTimeout(() => {
        const error = new Error(`no answer within ${this.#timeoutMs} ms`);
        req.destroy(error);
        finish(error);
      }, this.#timeoutMs);
      const onAbort = (): void => {
        const error = new Error('stopped');
        req.destroy(error);
        finish(error);
      };
      this.options.signal?.addEventListener('abort', onAbort, { once: true });
      req.on('error', (error) => finish(error));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            // Refused as soon as it passes the limit rather than buffered whole.
            res.destroy();
            finish(
              new TeError('TE_ERR_INPUT_TOO_LARGE', `${method} ${url}: answer is over ${maxBytes} bytes`, {
                path: url,
              }),
            );
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          finish(undefined, {
            status: res.statusCode ?? 0,
            body: Buffer.concat(chunks),
            headers: res.headers,
          }),
        );
        res.on('error', (error) => finish(error));
      });
      req.end(body);
    });
  }

  #throwIfStopped(method: string, href: string): void {
    if (this.options.signal?.aborted === true) {
      throw new TeError('TE_ERR_UNAVAILABLE', `${method} ${href}: stopped before an answer arrived`, {
        path: href,
      });
    }
  }
}

function headerText(value: string | string[] | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

/** The server's own account of a refusal: tenet's JSON error body, or the start of a text one. */
function serverDetail(answer: Answer): string {
  const text = answer.body.subarray(0, 2048).toString('utf8').trim();
  if (text === '') return '';
  if (/json/.test(headerText(answer.headers['content-type']) ?? '')) {
    try {
      const parsed = JSON.parse(text) as { message?: unknown };
      if (typeof parsed.message === 'string') return `: ${parsed.message.slice(0, 200)}`;
    } catch {
      // Not JSON after all: fall through to the text.
    }
  }
  return /xml/.test(headerText(answer.headers['content-type']) ?? '') ? '' : `: ${text.slice(0, 200)}`;
}

/** TE_ERR_SEP_CLIENT_STATUS with the HTTP status, so a caller can tell a refusal from a failure. */
export class SepStatusError extends TeError {
  constructor(
    message: string,
    href: string,
    readonly status: number,
  ) {
    super('TE_ERR_SEP_CLIENT_STATUS', message, { path: href });
  }
}

/** A non-2xx answer as a coded error, with the server's own error code and message when it sent them. */
function statusError(method: string, href: string, answer: Answer): SepStatusError {
  const serverCode = headerText(answer.headers['x-tenet-error']);
  const code = serverCode === null ? '' : ` (${serverCode})`;
  return new SepStatusError(
    `${method} ${href}: the server answered HTTP ${answer.status}${code}${serverDetail(answer)}`,
    href,
    answer.status,
  );
}
