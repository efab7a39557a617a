/**
 * Test helper: the real 2030.5 server core on loopback over mutual TLS, with in-memory registry, sinks and a
 * program source whose programs the test changes, and a client for the test PKI's device certificate that
 * records every body it sends (so tests can check them against sep.xsd).
 */
import { TeError } from '../../core/errors.js';
import type { DERControl } from '../der-control.js';
import { identityFromCertificate } from '../identity.js';
import {
  InMemorySepDerStateStore,
  InMemorySepDeviceRegistry,
  InMemorySepResponseSink,
  InMemorySepTelemetrySink,
  type SepDevice,
  type SepProgram,
  type SepProgramSource,
} from '../server/registry.js';
import { startSepServer, type SepServer } from '../server/server.js';
import type { TestPki } from '../server/test-pki.fixture.js';
import { SepClient, type SepClientOptions, type SepPostResult } from './sep-client.js';

export const DEVICE_PIN = 111115;

/** A program source the test rewrites between polls. */
export class ChangingProgramSource implements SepProgramSource {
  current: SepProgram[] = [];
  programs(): readonly SepProgram[] {
    return this.current;
  }
}

/** The in-memory telemetry sink, made to refuse (503) while `failing` is set: a platform store that is down. */
export class SwitchableTelemetrySink extends InMemorySepTelemetrySink {
  failing = false;
  override record(...args: Parameters<InMemorySepTelemetrySink['record']>): Promise<void> {
    if (this.failing) return Promise.reject(new TeError('TE_ERR_UNAVAILABLE', 'telemetry store is down'));
    return super.record(...args);
  }
}

export class RecordingSepClient extends SepClient {
  readonly sent: { method: 'POST' | 'PUT'; href: string; body: string }[] = [];

  override post(href: string, xml: string): Promise<SepPostResult> {
    this.sent.push({ method: 'POST', href, body: xml });
    return super.post(href, xml);
  }

  override put(href: string, xml: string): Promise<void> {
    this.sent.push({ method: 'PUT', href, body: xml });
    return super.put(href, xml);
  }
}

export interface LoopbackSep {
  readonly server: SepServer;
  readonly device: SepDevice;
  readonly devices: InMemorySepDeviceRegistry;
  readonly programs: ChangingProgramSource;
  readonly responses: InMemorySepResponseSink;
  readonly telemetry: SwitchableTelemetrySink;
  readonly derState: InMemorySepDerStateStore;
  client(options?: Partial<SepClientOptions>): RecordingSepClient;
}

export async function startLoopbackSep(
  pki: TestPki,
  nowMs: () => number,
  extraDevices = 0,
): Promise<LoopbackSep> {
  const id = identityFromCertificate(pki.device.cert);
  // Other devices this certificate speaks for, so the EndDeviceList has several pages.
  const others: SepDevice[] = Array.from({ length: extraDevices }, (_, i) => ({
    id: `other-${i}`,
    lfdi: (i + 1).toString(16).toUpperCase().padStart(40, 'A'),
    sfdi: i + 1,
    pin: 1,
    registeredAt: 1,
  }));
  const device: SepDevice = {
    id: 'home-1',
    lfdi: id.lfdi,
    sfdi: id.sfdi,
    pin: DEVICE_PIN,
    registeredAt: Math.floor(nowMs() / 1000),
    sees: others.map((o) => o.id),
  };
  const devices = new InMemorySepDeviceRegistry([device, ...others]);
  const programs = new ChangingProgramSource();
  const responses = new InMemorySepResponseSink();
  const telemetry = new SwitchableTelemetrySink();
  const derState = new InMemorySepDerStateStore();
  const server = await startSepServer({
    host: '127.0.0.1',
    port: 0,
    tls: { cert: pki.server.cert, key: pki.server.key, ca: pki.ca.cert },
    devices,
    programs,
    responses,
    telemetry,
    derState,
    clock: { nowMs },
  });
  return {
    server,
    device,
    devices,
    programs,
    responses,
    telemetry,
    derState,
    client: (options = {}) =>
      new RecordingSepClient({
        dcapUrl: `${server.url}/dcap`,
        tls: { cert: pki.device.cert, key: pki.device.key, ca: pki.ca.cert },
        ...options,
      }),
  };
}

let serial = 0;
/** A DERControl for a program source (the server adds href and replyTo). */
export function controlAt(
  startS: number,
  durationS: number,
  base: DERControl['DERControlBase'],
  options: { createdS?: number; status?: number; responseRequired?: string } = {},
): Omit<DERControl, 'href' | 'replyTo'> {
  serial += 1;
  return {
    mRID: `C0FFEE${String(serial).padStart(26, '0')}`,
    responseRequired: options.responseRequired ?? '03',
    creationTime: options.createdS ?? startS - 60,
    EventStatus: { currentStatus: options.status ?? 0, dateTime: startS - 60, potentiallySuperseded: false },
    interval: { start: startS, duration: durationS },
    DERControlBase: base,
  };
}
