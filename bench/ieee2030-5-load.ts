/**
 * The 2030.5 bench's devices: one mutual-TLS connection per device, each with its own certificate, kept
 * alive and used for one request at a time as a polling device would. HTTP/1.1 is written and read by
 * hand (GET, Content-Length or chunked replies) so that the load generator spends its one core on TLS,
 * not on an HTTP client library, and the server stays the bottleneck.
 */
import { connect, type TLSSocket } from 'node:tls';

export interface DeviceCredentials {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface Reply {
  readonly status: number;
  readonly body: Buffer;
}

interface Pending {
  readonly path: string;
  readonly resolve: (reply: Reply) => void;
  readonly reject: (error: Error) => void;
}

const HEADER_END = Buffer.from('\r\n\r\n');

/** A complete reply at the start of `buffer`, with the number of bytes it used; undefined if not yet whole. */
function parseReply(buffer: Buffer): { reply: Reply; used: number } | undefined {
  const headerEnd = buffer.indexOf(HEADER_END);
  if (headerEnd < 0) return undefined;
  const head = buffer.subarray(0, headerEnd).toString('latin1');
  const status = Number(head.slice(9, 12));
  const length = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  const bodyStart = headerEnd + 4;
  if (length !== null) {
    const end = bodyStart + Number(length[1]);
    return end > buffer.length
      ? undefined
      : { reply: { status, body: buffer.subarray(bodyStart, end) }, used: end };
  }
  if (/\r\ntransfer-encoding:\s*chunked/i.test(head)) {
    const chunks: Buffer[] = [];
    for (let at = bodyStart; ;) {
      const lineEnd = buffer.indexOf('\r\n', at);
      if (lineEnd < 0) return undefined;
      const size = Number.parseInt(buffer.subarray(at, lineEnd).toString('latin1'), 16);
      if (!Number.isFinite(size)) throw new Error(`bad chunk size in reply: ${head}`);
      const dataEnd = lineEnd + 2 + size;
      if (dataEnd + 2 > buffer.length) return undefined;
      if (size === 0) return { reply: { status, body: Buffer.concat(chunks) }, used: dataEnd + 2 };
      chunks.push(buffer.subarray(lineEnd + 2, dataEnd));
      at = dataEnd + 2;
    }
  }
  // 204 and 304 have no body; anything else without a length is read to the end of the connection (not used).
  return { reply: { status, body: Buffer.alloc(0) }, used: bodyStart };
}

/** One device's kept-alive connection; reconnects (a full handshake, counted) when the server closed it. */
export class DeviceConnection {
  #socket: TLSSocket | undefined;
  #buffer = Buffer.alloc(0);
  #current: Pending | undefined;
  readonly #queue: Pending[] = [];
  handshakes = 0;

  constructor(
    private readonly port: number,
    private readonly ca: string,
    private readonly credentials: DeviceCredentials,
  ) {}

  /** Opens the connection: resolves once the TLS handshake (both certificates checked) is done. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const socket = connect({
        host: '127.0.0.1',
        port: this.port,
        ca: this.ca,
        cert: this.credentials.certPem,
        key: this.credentials.keyPem,
      });
      socket.setNoDelay(true);
      const failed = (error: Error): void => reject(error);
      socket.once('error', failed);
      socket.once('secureConnect', () => {
        socket.off('error', failed);
        this.handshakes += 1;
        this.#socket = socket;
        this.#buffer = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => this.#onData(chunk));
        socket.on('error', () => undefined); // the close that follows fails the request in flight
        socket.on('close', () => this.#onClose(socket));
        resolve();
      });
    });
  }

  get isOpen(): boolean {
    return this.#socket !== undefined;
  }

  /** GET `path`; requests queue behind the one in flight, as one device polls one thing at a time. */
  get(path: string): Promise<Reply> {
    return new Promise((resolve, reject) => {
      this.#queue.push({ path, resolve, reject });
      if (this.#current === undefined) void this.#next();
    });
  }

  close(): void {
    this.#socket?.destroy();
  }

  async #next(): Promise<void> {
    const pending = this.#queue.shift();
    if (pending === undefined) return;
    this.#current = pending;
    try {
      if (this.#socket === undefined) await this.open();
      this.#socket?.write(
        `GET ${pending.path} HTTP/1.1\r\nhost: 127.0.0.1\r\naccept: application/sep+xml\r\n\r\n`,
      );
    } catch (error) {
      this.#finish((p) => p.reject(error as Error));
    }
  }

  #finish(settle: (pending: Pending) => void): void {
    const pending = this.#current;
    this.#current = undefined;
    if (pending !== undefined) settle(pending);
    if (this.#queue.length > 0) void this.#next();
  }

  #onData(chunk: Buffer): void {
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    const parsed = parseReply(this.#buffer);
    if (parsed === undefined) return;
    this.#buffer = this.#buffer.subarray(parsed.used);
    this.#finish((p) => p.resolve(parsed.reply));
  }

  #onClose(socket: TLSSocket): void {
    if (this.#socket !== socket) return;
    this.#socket = undefined;
    if (this.#current !== undefined) this.#finish((p) => p.reject(new Error('connection closed')));
  }
}

/**
 * Opens every connection, `batch` at a time, and reads `firstPath` on each as a device reads its
 * DeviceCapability first. (A connection that has sent no request yet is closed by Node's server once
 * its request timeout passes, whatever the keep-alive setting.) Resolves with the number that failed.
 */
export async function openAll(
  connections: readonly DeviceConnection[],
  batch: number,
  firstPath: string,
): Promise<number> {
  let failed = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < connections.length) {
      const connection = connections[next++] as DeviceConnection;
      try {
        await connection.open();
        if ((await connection.get(firstPath)).status !== 200) failed += 1;
      } catch {
        failed += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(batch, connections.length) }, worker));
  return failed;
}

/** Percentile (0..100) of sorted values, nearest rank. */
export function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

export interface LoadResult {
  readonly requests: number;
  readonly ok: number;
  readonly failed: number;
  readonly seconds: number;
  /** Sorted latencies, ms. */
  readonly latencies: Float64Array;
  readonly bytes: number;
}

interface Poll {
  connection: DeviceConnection;
  path: string;
}

/**
 * Open loop at `perSecond` for `seconds`: requests are due at fixed times, round robin over `polls`, and a
 * request's latency is counted from when it was due, so a slow server cannot hide its queue (no
 * coordinated omission). A device whose previous poll is unanswered queues the next behind it.
 */
export async function offeredLoad(
  nextPoll: () => Poll,
  perSecond: number,
  seconds: number,
): Promise<LoadResult> {
  const total = Math.round(perSecond * seconds);
  const latencies = new Float64Array(total);
  let ok = 0;
  let failed = 0;
  let bytes = 0;
  let done = 0;
  const started = performance.now();
  let issued = 0;
  await new Promise<void>((resolve) => {
    const tick = (): void => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * perSecond));
      for (; issued < due; issued++) {
        const dueAt = started + (issued * 1000) / perSecond;
        const index = issued;
        const { connection, path } = nextPoll();
        connection
          .get(path)
          .then(
            (reply) => {
              latencies[index] = performance.now() - dueAt;
              if (reply.status === 200) ok += 1;
              else failed += 1;
              bytes += reply.body.length;
            },
            () => {
              latencies[index] = performance.now() - dueAt;
              failed += 1;
            },
          )
          .finally(() => {
            done += 1;
            if (done === total) resolve();
          });
      }
      if (issued < total) setTimeout(tick, 2);
    };
    tick();
  });
  return {
    requests: total,
    ok,
    failed,
    seconds: (performance.now() - started) / 1000,
    latencies: latencies.sort(),
    bytes,
  };
}

/** Closed loop: `inFlight` devices at a time, each next poll sent as soon as one is answered. */
export async function closedLoad(
  nextPoll: () => Poll,
  inFlight: number,
  seconds: number,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let ok = 0;
  let failed = 0;
  let bytes = 0;
  const started = performance.now();
  const endAt = started + seconds * 1000;
  const worker = async (): Promise<void> => {
    while (performance.now() < endAt) {
      const { connection, path } = nextPoll();
      const sent = performance.now();
      try {
        const reply = await connection.get(path);
        if (reply.status === 200) ok += 1;
        else failed += 1;
        bytes += reply.body.length;
      } catch {
        failed += 1;
      }
      latencies.push(performance.now() - sent);
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return {
    requests: latencies.length,
    ok,
    failed,
    seconds: (performance.now() - started) / 1000,
    latencies: Float64Array.from(latencies).sort(),
    bytes,
  };
}
