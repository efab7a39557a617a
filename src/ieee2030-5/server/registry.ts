/**
 * What the 2030.5 server needs from the platform: the registered devices and the DER programs each one
 * hears, as interfaces. The platform implements them on its store (`../platform/`); the in-memory
 * versions here serve tests and demos and are lost on restart.
 */
import type { DefaultDERControl, DERControl } from '../der-control.js';
import type { DERControlResponse, DERCurve } from '../der-curve.js';
import type { MirrorUsagePoint } from '../metering-mirror.js';
import { TeError } from '../../core/errors.js';

export interface SepDevice {
  /** The path segment under `{base}/edev/`: letters, digits, `-` and `_` only. */
  readonly id: string;
  /** Forty upper-case hex digits, from the device's certificate. */
  readonly lfdi: string;
  readonly sfdi: number;
  /** The registration PIN the installer entered, as 2030.5 prints it (with its check digit). */
  readonly pin: number;
  /** Seconds since the epoch. */
  readonly registeredAt: number;
  readonly changedTime?: number;
  readonly enabled?: boolean;
  /**
   * Ids of other devices this certificate may read: an aggregator's certificate lists the devices it
   * speaks for. A device always sees itself.
   */
  readonly sees?: readonly string[];
  /** The platform participant whose meter this device's telemetry settles on. */
  readonly participantId?: string;
}

export interface SepDeviceRegistry {
  /** The device whose certificate has this LFDI, or undefined when it is not registered. */
  byLfdi(lfdi: string): SepDevice | undefined;
  /** The devices the holder of this LFDI may see, itself first. Empty when not registered. */
  visibleTo(lfdi: string): readonly SepDevice[];
}

/** A DER program as the platform describes it; the server adds the hrefs and links. */
export interface SepProgram {
  /** The path segment under `{base}/derp/`. */
  readonly id: string;
  readonly mRID: string;
  readonly description?: string;
  readonly primacy: number;
  /** Controls without href or replyTo: the server sets both. */
  readonly controls: readonly Omit<DERControl, 'href' | 'replyTo'>[];
  readonly defaultControl?: Omit<DefaultDERControl, 'href' | 'replyTo'>;
  /** Curves the controls link to (served as DERCurveList at `{base}/derp/{id}/dcl`); the server sets href. */
  readonly curves?: readonly Omit<DERCurve, 'href'>[];
}

export interface SepProgramSource {
  /** The programs the device with this LFDI hears, most important first. */
  programs(device: SepDevice): readonly SepProgram[];
  /** Called with the ids of programs whose controls changed; returns an unsubscribe function. */
  onChange?(listener: (programIds: readonly string[]) => void): () => void;
}

/** Where accepted DERControlResponses go. */
export interface SepResponseSink {
  /** The server answers once a returned promise settles; a rejection with a TeError becomes its status. */
  record(device: SepDevice, response: DERControlResponse): void | Promise<void>;
}

/** One interval of telemetry from a MirrorMeterReading, converted to the platform's units. */
export interface SepTelemetryReading {
  readonly mirrorUsagePointMRID: string;
  /** Interval start, seconds since the epoch. */
  readonly startS: number;
  /** Interval length, seconds; always > 0. */
  readonly durationS: number;
  /** Energy over the interval, Wh, sign per docs/sign-conventions.md (import from the grid positive). */
  readonly energyWh: number;
}

/** Where telemetry posted to a MirrorUsagePoint goes. */
export interface SepTelemetrySink {
  /** Resolves when stored; a rejection with a TeError becomes that error's HTTP status. */
  record(device: SepDevice, readings: readonly SepTelemetryReading[]): Promise<void>;
}

/** What a device PUTs about its DER: the latest of each, kept per device and DER. */
export type SepDerDocumentKind = 'DERCapability' | 'DERSettings' | 'DERStatus' | 'DERAvailability';
export const SEP_DER_DOCUMENT_KINDS: readonly SepDerDocumentKind[] = [
  'DERCapability',
  'DERSettings',
  'DERStatus',
  'DERAvailability',
];

/**
 * The documents are the decoded typed objects (`DERCapability`, … from `../der.js`) without href; the
 * server re-encodes what `get` returns, so a store may keep them as JSON. Either method may be async.
 */
export interface SepDerStateStore {
  put(device: SepDevice, kind: SepDerDocumentKind, document: unknown): void | Promise<void>;
  get(device: SepDevice, kind: SepDerDocumentKind): unknown | Promise<unknown>;
}

/** A MirrorUsagePoint a device created by POST to `{base}/mup`. */
export interface SepMirrorUsagePoint {
  /** The path segment under `{base}/mup/`. */
  readonly id: string;
  /** The device whose LFDI is the usage point's deviceLFDI: the one whose meter it mirrors. */
  readonly deviceId: string;
  /**
   * As posted, without href; its MirrorMeterReadings keep only what describes them (mRID, description,
   * version, ReadingType), never readings.
   */
  readonly usagePoint: MirrorUsagePoint;
}

/** Where mirror usage points are kept. Any method may be async. */
export interface SepMirrorStore {
  /** The device's mirror usage points, oldest first. */
  list(device: SepDevice): readonly SepMirrorUsagePoint[] | Promise<readonly SepMirrorUsagePoint[]>;
  get(id: string): SepMirrorUsagePoint | undefined | Promise<SepMirrorUsagePoint | undefined>;
  /** Stores a new usage point for the device and returns its id, or replaces the one with `id`. */
  save(device: SepDevice, usagePoint: MirrorUsagePoint, id?: string): string | Promise<string>;
}

const ID = /^[A-Za-z0-9_-]{1,64}$/;

/** In-memory registry: devices are lost when the process ends (a store comes with `tenet serve` wiring). */
export class InMemorySepDeviceRegistry implements SepDeviceRegistry {
  readonly #byLfdi = new Map<string, SepDevice>();
  readonly #byId = new Map<string, SepDevice>();

  constructor(devices: readonly SepDevice[] = []) {
    for (const device of devices) this.add(device);
  }

  add(device: SepDevice): void {
    // Ids become path segments and LFDIs are compared as text, so both are checked once here.
    if (!ID.test(device.id))
      throw new TeError('TE_ERR_CONFIG', `device id ${JSON.stringify(device.id)} is not a path segment`);
    const lfdi = device.lfdi.toUpperCase();
    if (!/^[0-9A-F]{40}$/.test(lfdi))
      throw new TeError('TE_ERR_CONFIG', `device ${device.id}: LFDI must be 40 hex digits`);
    if (this.#byId.has(device.id) || this.#byLfdi.has(lfdi)) {
      throw new TeError('TE_ERR_ALREADY_EXISTS', `device ${device.id} (${lfdi}) is already registered`);
    }
    const stored = { ...device, lfdi };
    this.#byId.set(device.id, stored);
    this.#byLfdi.set(lfdi, stored);
  }

  byLfdi(lfdi: string): SepDevice | undefined {
    return this.#byLfdi.get(lfdi.toUpperCase());
  }

  visibleTo(lfdi: string): readonly SepDevice[] {
    const self = this.byLfdi(lfdi);
    if (self === undefined) return [];
    const others = (self.sees ?? [])
      .filter((id) => id !== self.id)
      .map((id) => this.#byId.get(id))
      .filter((d): d is SepDevice => d !== undefined);
    return [self, ...others];
  }
}

/** Keeps responses in memory, in arrival order. */
export class InMemorySepResponseSink implements SepResponseSink {
  readonly #responses: { deviceId: string; response: DERControlResponse }[] = [];

  record(device: SepDevice, response: DERControlResponse): void {
    this.#responses.push({ deviceId: device.id, response });
  }

  list(): readonly { deviceId: string; response: DERControlResponse }[] {
    return [...this.#responses];
  }
}

/** Keeps the latest DER document of each kind per device, in memory. */
export class InMemorySepDerStateStore implements SepDerStateStore {
  readonly #documents = new Map<string, unknown>();

  put(device: SepDevice, kind: SepDerDocumentKind, document: unknown): void {
    this.#documents.set(`${device.id}/${kind}`, document);
  }

  get(device: SepDevice, kind: SepDerDocumentKind): unknown {
    return this.#documents.get(`${device.id}/${kind}`);
  }
}

/** Keeps telemetry in memory, in arrival order. */
export class InMemorySepTelemetrySink implements SepTelemetrySink {
  readonly #readings: { deviceId: string; reading: SepTelemetryReading }[] = [];

  record(device: SepDevice, readings: readonly SepTelemetryReading[]): Promise<void> {
    for (const reading of readings) this.#readings.push({ deviceId: device.id, reading });
    return Promise.resolve();
  }

  list(): readonly { deviceId: string; reading: SepTelemetryReading }[] {
    return [...this.#readings];
  }
}

/** Keeps mirror usage points in memory; ids are 0, 1, 2 … in creation order. */
export class InMemorySepMirrorStore implements SepMirrorStore {
  readonly #byId = new Map<string, SepMirrorUsagePoint>();

  list(device: SepDevice): readonly SepMirrorUsagePoint[] {
    return [...this.#byId.values()].filter((m) => m.deviceId === device.id);
  }

  get(id: string): SepMirrorUsagePoint | undefined {
    return this.#byId.get(id);
  }

  save(device: SepDevice, usagePoint: MirrorUsagePoint, id?: string): string {
    const key = id ?? String(this.#byId.size);
    this.#byId.set(key, { id: key, deviceId: device.id, usagePoint });
    return key;
  }
}
