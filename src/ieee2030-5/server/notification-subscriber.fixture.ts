/**
 * Test helpers for 2030.5 notifications: a program source whose changes a test drives, and a device's
 * notification endpoint (https with mutual TLS) that records what it receives.
 */
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { identityFromCertificate } from '../identity.js';
import type { SepProgram, SepProgramSource } from './registry.js';
import type { Pem } from './test-pki.fixture.js';

/** A program source whose programs a test replaces, announcing each change like the platform's will. */
export class ChangingProgramSource implements SepProgramSource {
  #programs: SepProgram[];
  #failing = false;
  readonly #listeners = new Set<(ids: readonly string[]) => void>();

  constructor(programs: SepProgram[]) {
    this.#programs = programs;
  }
  programs(): readonly SepProgram[] {
    if (this.#failing) throw new Error('program store unreachable');
    return this.#programs;
  }
  onChange(listener: (ids: readonly string[]) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
  set(programs: SepProgram[], failing = false): void {
    this.#programs = programs;
    this.#failing = failing;
    for (const listener of this.#listeners) listener(programs.map((p) => p.id));
  }
  emit(ids: readonly string[]): void {
    for (const listener of this.#listeners) listener(ids);
  }
  get listeners(): number {
    return this.#listeners.size;
  }
}

export interface Subscriber {
  readonly url: string;
  readonly received: { body: string; contentType: string; clientLfdi: string }[];
  /** Resolves once `count` notifications have arrived; rejects after the timeout (default 5 s). */
  waitFor(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A device's notification endpoint: https with mutual TLS, answering 201, an error, or never. */
export async function startSubscriber(
  pem: Pem,
  ca: string,
  behaviour: 'accept' | 'hang' | 500 = 'accept',
): Promise<Subscriber> {
  const received: Subscriber['received'] = [];
  let waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer(
    { ...pem, ca, requestCert: true, rejectUnauthorized: true },
    (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (behaviour === 'hang') return;
        const raw = (req.socket as TLSSocket).getPeerCertificate().raw;
        received.push({
          body: Buffer.concat(chunks).toString(),
          contentType: req.headers['content-type'] ?? '',
          clientLfdi: identityFromCertificate(raw).lfdi,
        });
        waiters = waiters.filter((w) => (received.length >= w.count ? (w.resolve(), false) : true));
        res.writeHead(behaviour === 'accept' ? 201 : behaviour);
        res.end();
      });
    },
  );
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}/notify`,
    received,
    waitFor: (count, timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        if (received.length >= count) return resolve();
        const timer = setTimeout(
          () => reject(new Error(`${received.length} notifications after ${timeoutMs} ms, wanted ${count}`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve()) });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
