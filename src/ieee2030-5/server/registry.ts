/**
 * What the 2030.5 server needs from the platform: the registered devices and the DER programs each one
 * hears, as interfaces. The platform's store will implement them later (no migration yet); the in-memory
 * versions here serve tests and demos and are lost on restart.
 */
import type { DefaultDERControl, DERControl } from '../der-control.js';
import type { DERControlResponse } from '../der-curve.js';
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
}

export interface SepProgramSource {
  /** The programs the device with this LFDI hears, most important first. */
  programs(device: SepDevice): readonly SepProgram[];
}

/** Where accepted DERControlResponses go. */
export interface SepResponseSink {
  record(device: SepDevice, response: DERControlResponse): void;
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
