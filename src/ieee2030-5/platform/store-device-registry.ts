/**
 * The 2030.5 server asks for a device on every request, synchronously, so the registry answers from a
 * cache: loaded at start, written through by registrations through this instance, and reloaded every few
 * seconds so an instance learns of devices another instance registered (or deleted).
 */
import type { Kysely } from 'kysely';
import type { AuditRecord } from '../../store/audit-repository.js';
import type { StoreSchema } from '../../store/schema.js';
import type { SepDevice, SepDeviceRegistry } from '../server/registry.js';
import {
  deleteSepDevice,
  insertSepDevice,
  listSepDevices,
  participantAggregators,
  type StoredSepDevice,
} from './sep-device-repository.js';

export const DEFAULT_DEVICE_REFRESH_MS = 5_000;

export interface StoreSepDeviceRegistryOptions {
  readonly db: Kysely<StoreSchema>;
  /** Real milliseconds between reloads (default 5 s). */
  readonly refreshMs?: number;
  /** A failed reload: the cache keeps its last contents. */
  readonly onError?: (error: unknown) => void;
}

interface Snapshot {
  readonly byId: ReadonlyMap<string, SepDevice>;
  readonly byLfdi: ReadonlyMap<string, SepDevice>;
  readonly aggregatorOf: ReadonlyMap<string, string | null>;
}

const EMPTY: Snapshot = { byId: new Map(), byLfdi: new Map(), aggregatorOf: new Map() };

/** The server's view of a stored device (times in seconds, as 2030.5 counts them). */
export function sepDeviceOf(stored: StoredSepDevice): SepDevice {
  return {
    id: stored.id,
    lfdi: stored.lfdi,
    sfdi: stored.sfdi,
    pin: stored.pin,
    registeredAt: Math.floor(stored.createdMs / 1000),
    changedTime: Math.floor(stored.changedMs / 1000),
    enabled: stored.enabled,
    sees: stored.sees,
    participantId: stored.participantId,
  };
}

export class StoreSepDeviceRegistry implements SepDeviceRegistry {
  readonly #db: Kysely<StoreSchema>;
  readonly #refreshMs: number;
  readonly #onError: (error: unknown) => void;
  #snapshot: Snapshot = EMPTY;
  /** Bumped by every write through this instance: a reload that started before it is stale. */
  #writes = 0;
  #timer: NodeJS.Timeout | undefined;
  #reloading: Promise<void> | undefined;

  constructor(options: StoreSepDeviceRegistryOptions) {
    this.#db = options.db;
    this.#refreshMs = options.refreshMs ?? DEFAULT_DEVICE_REFRESH_MS;
    this.#onError = options.onError ?? (() => {});
  }

  /** Loads the devices and starts the periodic reload. */
  async start(): Promise<void> {
    await this.reload();
    this.#timer ??= setInterval(() => {
      this.reload().catch(this.#onError);
    }, this.#refreshMs);
    this.#timer.unref();
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#reloading?.catch(() => undefined);
  }

  /** Reads every device again (one reload at a time; a reload overtaken by a write runs again). */
  reload(): Promise<void> {
    this.#reloading ??= (async () => {
      try {
        for (let attempt = 0; attempt < 3; attempt += 1) {
          const writesBefore = this.#writes;
          const [devices, aggregatorOf] = await Promise.all([
            listSepDevices(this.#db, 'all'),
            participantAggregators(this.#db),
          ]);
          if (writesBefore !== this.#writes) continue;
          const byId = new Map<string, SepDevice>();
          const byLfdi = new Map<string, SepDevice>();
          for (const stored of devices) {
            const device = sepDeviceOf(stored);
            byId.set(device.id, device);
            byLfdi.set(device.lfdi, device);
          }
          this.#snapshot = { byId, byLfdi, aggregatorOf };
          return;
        }
      } finally {
        this.#reloading = undefined;
      }
    })();
    return this.#reloading;
  }

  /** Stores a checked device (see insertSepDevice) and serves it at once. */
  async register(device: StoredSepDevice, audit?: AuditRecord): Promise<void> {
    this.#writes += 1;
    await insertSepDevice(this.#db, device, audit);
    // Participants registered since the last reload take part in `sees` at once.
    const aggregatorOf = await participantAggregators(this.#db);
    const served = sepDeviceOf(device);
    const byId = new Map(this.#snapshot.byId).set(served.id, served);
    const byLfdi = new Map(this.#snapshot.byLfdi).set(served.lfdi, served);
    this.#snapshot = { byId, byLfdi, aggregatorOf };
  }

  /** Deletes a device; false when there was none. Its certificate is refused from now on. */
  async remove(id: string, audit?: AuditRecord): Promise<boolean> {
    this.#writes += 1;
    const removed = await deleteSepDevice(this.#db, id, audit);
    const known = this.#snapshot.byId.get(id);
    if (known !== undefined) {
      const byId = new Map(this.#snapshot.byId);
      byId.delete(id);
      const byLfdi = new Map(this.#snapshot.byLfdi);
      byLfdi.delete(known.lfdi);
      this.#snapshot = { ...this.#snapshot, byId, byLfdi };
    }
    return removed;
  }

  get size(): number {
    return this.#snapshot.byId.size;
  }

  byLfdi(lfdi: string): SepDevice | undefined {
    return this.#snapshot.byLfdi.get(lfdi.toUpperCase());
  }

  /**
   * The device itself, then the devices it lists in `sees` that still belong to its participant or to a
   * participant it aggregates (checked again here: an aggregator can lose a member after registration).
   */
  visibleTo(lfdi: string): readonly SepDevice[] {
    const snapshot = this.#snapshot;
    const self = snapshot.byLfdi.get(lfdi.toUpperCase());
    if (self === undefined) return [];
    const owner = self.participantId;
    const others: SepDevice[] = [];
    for (const id of self.sees ?? []) {
      const other = snapshot.byId.get(id);
      if (other === undefined || other.id === self.id) continue;
      const otherOwner = other.participantId;
      if (
        otherOwner === owner ||
        (otherOwner !== undefined && snapshot.aggregatorOf.get(otherOwner) === owner)
      )
        others.push(other);
    }
    return [self, ...others];
  }
}
