/**
 * The DER documents devices PUT (capability, settings, status, availability), the latest of each kind per
 * device, in the store: they survive a restart and every instance serves the same. A PUT that cannot be
 * stored is logged and answered 503, so the device sends it again.
 */
import type { Kysely } from 'kysely';
import { TeError } from '../../core/errors.js';
import type { Clock } from '../../live/clock.js';
import type { StoreSchema } from '../../store/schema.js';
import type { SepDerDocumentKind, SepDerStateStore, SepDevice } from '../server/registry.js';
import { listDerDocuments, upsertDerDocument } from './sep-device-state-repository.js';

export class StoreSepDerStateStore implements SepDerStateStore {
  readonly #db: Kysely<StoreSchema>;
  readonly #clock: Clock;
  readonly #log: (line: string) => void;

  constructor(db: Kysely<StoreSchema>, clock: Clock, log: (line: string) => void) {
    this.#db = db;
    this.#clock = clock;
    this.#log = log;
  }

  async put(device: SepDevice, kind: SepDerDocumentKind, document: unknown): Promise<void> {
    try {
      await upsertDerDocument(this.#db, device.id, kind, document, this.#clock.nowMs());
    } catch (error) {
      this.#log(`IEEE 2030.5: the ${kind} of device ${device.id} was not stored: ${String(error)}`);
      throw new TeError('TE_ERR_UNAVAILABLE', `the ${kind} could not be stored`, {
        hint: 'send it again later',
        cause: error,
      });
    }
  }

  async get(device: SepDevice, kind: SepDerDocumentKind): Promise<unknown> {
    try {
      const [stored] = await listDerDocuments(this.#db, device.id, [kind]);
      return stored?.document;
    } catch (error) {
      throw new TeError('TE_ERR_UNAVAILABLE', `the ${kind} could not be read`, {
        hint: 'try again later',
        cause: error,
      });
    }
  }
}
